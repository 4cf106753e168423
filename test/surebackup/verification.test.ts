/** @module test/surebackup/verification: SureBackup runs through the API and the real job runner, on a simulated host. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPortgroup,
  fetchInventory,
  reconfigVm,
  retrieveAll,
  type VSphereClient,
} from '../../src/vsphere/index.js';
import { addServer, addStoragePath, connect, putFile, removeStorageDirs } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, unknown>;
const ISOLATED = 'VM Network Isolated';

describe('SureBackup verifications', () => {
  let esx: Simulator;
  let t: TestApp;
  let headers: Record<string, string>;
  let client: VSphereClient;
  let serverId: number;
  let backupId: number;
  const datastore = () => esx.datastores[0]?.name as string;

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await t.app.request(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Json & Json[] };
  };
  const until = async (url: string, done: (s: Json) => boolean, timeout = 30_000) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const state = (await call('GET', url)).body;
      if (done(state) || Date.now() > deadline) return state;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const finished = (s: Json) => !['pending', 'running'].includes(s.status as string);
  const verify = (body: Json) =>
    call('POST', '/api/backup-verifications/', { vm_backup: backupId, esxi_server: serverId, ...body });
  const vmNames = async () => (await fetchInventory(client)).vms.map((v) => v.name);

  /** Waits for the verification VM to be registered, then gives it 127.0.0.1 as guest IP (simulator extraConfig). */
  const setGuestIp = async (name: string) => {
    for (let i = 0; i < 400; i++) {
      const vm = (await retrieveAll(client, 'VirtualMachine', ['name'])).find((v) => v.props.name === name);
      if (vm)
        return reconfigVm(client, vm.ref, {
          extraConfig: [{ key: 'SET.guest.ipAddress', value: '127.0.0.1' }],
        });
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${name} never appeared`);
  };

  beforeAll(async () => {
    esx = await startSimulator({ tls: false });
    client = await connect(esx);
    await putFile(client, esx, `${esx.vms[0]}/disk1-flat.vmdk`, randomBytes(1024 * 1024));
    await addPortgroup(client, { name: ISOLATED, vlanId: 999 });
    t = await createTestApp(
      { VERIFICATION_NO_TOOLS_GRACE_SECONDS: '1', VERIFICATION_CHECK_TIMEOUT_SECONDS: '1' },
      { runner: true },
    );
    headers = (await t.apiUser('operator')).headers;
    serverId = await addServer(t.deps, esx, 'esx');
    const storage = await addStoragePath(t.deps);
    const vm = (await call('GET', `/api/virtual-machines/?search=${esx.vms[0]}`)).body[0] as Json;
    const backup = await call('POST', '/api/vm-backups/', {
      virtual_machine: vm.id,
      storage_path: storage.id,
    });
    const done = await until(`/api/vm-backups/${backup.body.id}/`, (s) => s.status === 'COMPLETED');
    backupId = done.id as number;
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    await esx?.stop();
    removeStorageDirs();
  });

  it('boots a backup in the isolated network, records the boot time and removes the VM', async () => {
    const created = await verify({ test_type: 'boot', test_datastore: datastore() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending',
      test_network: ISOLATED,
      backup_name: esx.vms[0],
    });
    const done = await until(`/api/backup-verifications/${created.body.id}/`, finished);
    expect(done).toMatchObject({
      status: 'passed',
      vm_restored: true,
      vm_booted: true,
      vm_cleanup_done: true,
    });
    expect(done.boot_time_seconds).toEqual(expect.any(Number));
    expect(done.test_vm_name).toBe(`surebackup-${esx.vms[0]}-${created.body.id}`);
    expect(done.detailed_log).toContain('heartbeat could not be checked');
    expect(done.detailed_log).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - /);
    expect(await vmNames()).not.toContain(done.test_vm_name);
    expect(existsSync(path.join(esx.datastores[0]?.path as string, done.test_vm_name as string))).toBe(false);
  });

  it('checks services through the guest IP: one open, one closed, so a warning', async () => {
    const server = net.createServer((s) => s.end()).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const open = (server.address() as net.AddressInfo).port;
    const probe = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const closed = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    try {
      const created = await verify({
        test_type: 'boot_ping_services',
        services: [`custom_${open}`, `custom_${closed}`],
      });
      expect(created.status).toBe(201);
      const name = `surebackup-${esx.vms[0]}-${created.body.id}`;
      await setGuestIp(name);
      const done = await until(`/api/backup-verifications/${created.body.id}/`, finished);
      expect(done).toMatchObject({
        status: 'warning',
        ping_successful: true,
        vm_cleanup_done: true,
        services_checked: { [`custom_${open}`]: true, [`custom_${closed}`]: false },
      });
      expect(await vmNames()).not.toContain(name);
    } finally {
      server.close();
    }
  });

  it('runs the HTTP checks of a full test: status and text', async () => {
    const web = http
      .createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end('all ok'))
      .listen(0, '127.0.0.1');
    await new Promise((r) => web.once('listening', r));
    const port = (web.address() as net.AddressInfo).port;
    try {
      const created = await verify({
        test_type: 'full',
        services: [`custom_${port}`],
        http_checks: [
          { path: '/health', port, expected_status: 200, expected_text: 'ok' },
          { path: '/missing', port, expected_status: 200 },
        ],
      });
      expect(created.status).toBe(201);
      await setGuestIp(`surebackup-${esx.vms[0]}-${created.body.id}`);
      const done = await until(`/api/backup-verifications/${created.body.id}/`, finished);
      expect(done).toMatchObject({
        status: 'warning',
        services_checked: {
          [`custom_${port}`]: true,
          [`http_check:${port}/health`]: true,
          [`http_check:${port}/missing`]: false,
        },
      });
      expect(done.detailed_log).toContain('HTTP 404, expected 200');
    } finally {
      web.close();
    }
  });

  it('fails without booting anything when the test network is missing', async () => {
    const created = await verify({ test_type: 'boot', test_network: 'No Such Network' });
    const done = await until(`/api/backup-verifications/${created.body.id}/`, finished);
    expect(done).toMatchObject({ status: 'failed', vm_restored: false, vm_booted: false });
    expect(done.error_message).toContain('The test network "No Such Network" does not exist on esx');
    expect((await vmNames()).filter((n) => n.startsWith('surebackup-'))).toEqual([]);
  });

  it('fails at restore when the backup is corrupt, naming the file', async () => {
    const backup = (await call('GET', `/api/vm-backups/${backupId}/`)).body;
    const file = path.join(backup.backup_dir as string, 'disk1-flat.vmdk');
    const original = readFileSync(file);
    const bytes = Buffer.from(original);
    bytes[100] = (bytes[100] as number) ^ 0xff;
    writeFileSync(file, bytes);
    try {
      const created = await verify({ test_type: 'boot' });
      const done = await until(`/api/backup-verifications/${created.body.id}/`, finished);
      expect(done).toMatchObject({ status: 'failed', vm_restored: false, vm_cleanup_done: true });
      expect(done.error_message).toContain('disk1-flat.vmdk is corrupt');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('answers the statistics from the rows, filters the list, and refuses bad requests', async () => {
    const all = (await call('GET', '/api/backup-verifications/')).body;
    const stats = (await call('GET', '/api/backup-verifications/statistics/')).body;
    const count = (status: string) => all.filter((v) => v.status === status).length;
    const ended = all.filter((v) => v.completed_at).map((v) => v.total_duration_seconds as number);
    expect(stats).toEqual({
      total_verifications: all.length,
      passed: count('passed'),
      failed: count('failed'),
      success_rate: Math.round((count('passed') / all.length) * 10_000) / 100,
      average_duration_seconds: Math.round(ended.reduce((a, b) => a + b, 0) / ended.length),
      last_verification: expect.any(String),
      by_test_type: { boot: 3, boot_ping_services: 1, full: 1 },
    });
    expect((await call('GET', '/api/backup-verifications/?status=failed')).body).toHaveLength(2);
    expect((await call('GET', '/api/backup-verifications/?test_type=boot_ping_services')).body).toHaveLength(
      1,
    );
    expect(
      (await call('GET', `/api/backup-verifications/?vm_backup=${backupId}&status=passed`)).body,
    ).toHaveLength(1);
    expect((await call('GET', '/api/backup-verifications/?ovf_export=5')).body).toEqual([]);
    expect((await call('GET', '/api/backup-verifications/?status=done')).status).toBe(400);

    const both = await verify({ ovf_export: 3 });
    expect(both).toMatchObject({
      status: 400,
      body: { status: 400, errors: { _: [expect.stringContaining('not both')] } },
    });
    const neither = await call('POST', '/api/backup-verifications/', { esxi_server: serverId });
    expect(neither.status).toBe(400);
    const ovf = await call('POST', '/api/backup-verifications/', { ovf_export: 3, esxi_server: serverId });
    expect(ovf.body).toMatchObject({
      status: 400,
      errors: { ovf_export: [expect.stringContaining('not available yet')] },
    });
    const ds = await verify({ test_datastore: 'nowhere-ds' });
    expect(ds.body).toMatchObject({
      status: 400,
      message: 'The datastore nowhere-ds is not on esx.',
      errors: { test_datastore: ['The datastore nowhere-ds is not on esx.'] },
    });
    const service = await verify({ test_type: 'boot_ping_services', services: ['telnet'] });
    expect(Object.keys(service.body.errors as Json)).toEqual(['services']);
    const id = all[0]?.id as number;
    expect((await call('DELETE', `/api/backup-verifications/${id}/`)).status).toBe(204);
    expect((await call('GET', `/api/backup-verifications/${id}/`)).status).toBe(404);
  });
});
