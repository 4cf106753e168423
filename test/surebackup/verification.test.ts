/** @module test/surebackup/verification: SureBackup runs through the API and the real job runner, on a simulated host. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup_verifications, vm_backups } from '../../src/db/schema.js';
import { msg, storeMessage } from '../../src/i18n/message.js';
import {
  addPortgroup,
  addVirtualSwitch,
  fetchInventory,
  listPortgroups,
  reconfigVm,
  retrieveAll,
  type VSphereClient,
} from '../../src/vsphere/index.js';
import {
  addServer,
  addStoragePath,
  chunkFileOf,
  connect,
  putFile,
  removeStorageDirs,
} from '../backup/support.js';
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

  /** One API call, in the language `lang` (Accept-Language). */
  const call = async (method: string, url: string, body?: unknown, lang = 'fr') => {
    const res = await t.app.request(url, {
      method,
      headers: { ...headers, 'Accept-Language': lang },
      body: body ? JSON.stringify(body) : undefined,
    });
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
  const verify = (body: Json, lang = 'fr') =>
    call('POST', '/api/backup-verifications/', { vm_backup: backupId, esxi_server: serverId, ...body }, lang);
  /** A verification row written straight to the database (a fixture for the tests that only read rows). */
  const fixture = async (values: Partial<typeof backup_verifications.$inferInsert>) => {
    const [row] = await t.deps.db
      .insert(backup_verifications)
      .values({ vm_backup_id: backupId, esxi_server_id: serverId, ...values })
      .returning();
    return row as typeof backup_verifications.$inferSelect;
  };
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
    // the admin's isolated network: on a switch without physical uplink (vSwitch0 has one)
    await addVirtualSwitch(client, { name: 'vSwitchTest' });
    await addPortgroup(client, { name: ISOLATED, vlanId: 999, vswitch: 'vSwitchTest' });
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
    expect(done).toMatchObject({ error_message: '', error_code: null });
    expect(done.detailed_log).toContain('le heartbeat de l’invité n’a donc pas pu être vérifié');
    expect(done.detailed_log).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - Vérification \d+ démarrée/);
    expect(done.detailed_log).not.toContain('{"key"');
    const english = (await call('GET', `/api/backup-verifications/${created.body.id}/`, undefined, 'en'))
      .body;
    expect(english.detailed_log).toContain('heartbeat could not be checked');
    expect(english.detailed_log).toContain('Cleanup done');
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
      expect(done.detailed_log).toContain('HTTP 404, 200 attendu');
      const english = (await call('GET', `/api/backup-verifications/${created.body.id}/`, undefined, 'en'))
        .body;
      expect(english.detailed_log).toContain('HTTP 404, expected 200');
      expect(english.detailed_log).toContain('HTTP check passed');
    } finally {
      web.close();
    }
  });

  it('makes a missing test network as an isolated lab network, and removes it after', async () => {
    const created = await verify({ test_type: 'boot', test_network: 'No Such Network' });
    const done = await until(`/api/backup-verifications/${created.body.id}/`, finished);
    expect(done).toMatchObject({ status: 'passed', vm_cleanup_done: true, error_code: null });
    expect(done.detailed_log).toContain('Réseau de test isolé créé sur esx');
    expect(done.detailed_log).toContain('Réseau de test supprimé de esx : portgroup « No Such Network »');
    expect(await listPortgroups(client)).not.toContain('No Such Network');
    expect((await vmNames()).filter((n) => n.startsWith('surebackup-'))).toEqual([]);
  });

  it('fails at restore when the backup is corrupt, naming the file', async () => {
    // A chunk of the restore point's disk (the API does not show the index path: read it from the row).
    const [row] = await t.deps.db.select().from(vm_backups).where(eq(vm_backups.id, backupId));
    const file = chunkFileOf(row?.index_path as string, 'disk1-flat.vmdk');
    const original = readFileSync(file);
    const bytes = Buffer.from(original);
    bytes[bytes.length - 7] = (bytes[bytes.length - 7] as number) ^ 0xff;
    writeFileSync(file, bytes);
    try {
      const created = await verify({ test_type: 'boot' });
      const done = await until(`/api/backup-verifications/${created.body.id}/`, finished);
      expect(done).toMatchObject({
        status: 'failed',
        vm_restored: false,
        vm_cleanup_done: true,
        error_code: 'corrupt_backup',
      });
      expect(done.error_message).toContain('disk1-flat.vmdk est corrompu');
      const english = (await call('GET', `/api/backup-verifications/${created.body.id}/`, undefined, 'en'))
        .body;
      expect(english.error_message).toContain('disk1-flat.vmdk is corrupt');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('answers the statistics from the rows and filters the list', async () => {
    const ended = new Date();
    await fixture({ test_type: 'boot', status: 'passed', total_duration_seconds: 40, completed_at: ended });
    await fixture({
      test_type: 'boot_ping',
      status: 'failed',
      total_duration_seconds: 10,
      completed_at: ended,
    });
    await fixture({ test_type: 'full', status: 'warning', total_duration_seconds: 70, completed_at: ended });
    const all = (await call('GET', '/api/backup-verifications/')).body;
    const stats = (await call('GET', '/api/backup-verifications/statistics/')).body;
    const count = (pick: (v: Json) => boolean) => all.filter(pick).length;
    const durations = all.filter((v) => v.completed_at).map((v) => v.total_duration_seconds as number);
    const byType: Record<string, number> = {};
    for (const v of all) byType[v.test_type as string] = (byType[v.test_type as string] ?? 0) + 1;
    const passed = count((v) => v.status === 'passed');
    expect(stats).toEqual({
      total_verifications: all.length,
      passed,
      failed: count((v) => v.status === 'failed'),
      success_rate: Math.round((passed / all.length) * 10_000) / 100,
      average_duration_seconds: Math.round(durations.reduce((a, b) => a + b, 0) / durations.length),
      last_verification: expect.any(String),
      by_test_type: byType,
    });
    const filtered = async (query: string) => (await call('GET', `/api/backup-verifications/?${query}`)).body;
    expect(await filtered('status=failed')).toHaveLength(count((v) => v.status === 'failed'));
    expect(await filtered('test_type=full')).toHaveLength(count((v) => v.test_type === 'full'));
    expect(await filtered(`vm_backup=${backupId}&status=passed`)).toHaveLength(
      count((v) => v.vm_backup === backupId && v.status === 'passed'),
    );
    expect(await filtered('ovf_export=5')).toEqual([]);
    expect((await call('GET', '/api/backup-verifications/?status=done')).status).toBe(400);
  });

  it('refuses bad requests with a message per field, in the language asked, with a stable code', async () => {
    const both = await verify({ ovf_export: 3 });
    expect(both).toMatchObject({
      status: 400,
      body: {
        status: 400,
        code: 'invalid_input',
        errors: { _: ['Indiquez vm_backup ou ovf_export, pas les deux.'] },
      },
    });
    const bothEn = await verify({ ovf_export: 3 }, 'en');
    expect(bothEn.body).toMatchObject({
      code: 'invalid_input',
      errors: { _: ['Give either vm_backup or ovf_export, not both.'] },
    });
    const neither = await call('POST', '/api/backup-verifications/', { esxi_server: serverId });
    expect(neither.body).toMatchObject({
      status: 400,
      code: 'invalid_input',
      errors: { _: [expect.any(String)] },
    });
    const ovf = await call(
      'POST',
      '/api/backup-verifications/',
      { ovf_export: 3, esxi_server: serverId },
      'en',
    );
    expect(ovf.body).toMatchObject({
      status: 400,
      errors: { ovf_export: ['OVF export 3 does not exist.'] },
    });
    const ds = await verify({ test_datastore: 'nowhere-ds' });
    expect(ds.body).toMatchObject({
      status: 400,
      code: 'invalid_input',
      message: 'Le datastore nowhere-ds n’est pas sur esx.',
      errors: { test_datastore: ['Le datastore nowhere-ds n’est pas sur esx.'] },
    });
    const dsEn = await verify({ test_datastore: 'nowhere-ds' }, 'en');
    expect(dsEn.body).toMatchObject({
      code: 'invalid_input',
      message: 'The datastore nowhere-ds is not on esx.',
    });
    const http = await verify({ test_type: 'boot', http_checks: [{ path: '/' }] }, 'en');
    expect(http.body).toMatchObject({
      errors: { http_checks: ['HTTP checks are run by the full test type only.'] },
    });
    const service = await verify({ test_type: 'boot_ping_services', services: ['telnet'] });
    expect(service.body).toMatchObject({
      code: 'invalid_input',
      errors: { services: [expect.stringContaining('doit être ssh, http')] },
    });
    const path = await verify({ test_type: 'full', http_checks: [{ path: 'health' }] }, 'en');
    expect(path.body).toMatchObject({
      errors: { http_checks: [expect.stringContaining('must start with /')] },
    });
    const unknown = await call('POST', '/api/backup-verifications/', {
      vm_backup: 999_999,
      esxi_server: serverId,
    });
    expect(unknown.body).toMatchObject({ errors: { vm_backup: ['La sauvegarde 999999 n’existe pas.'] } });
  });

  it('deletes an ended verification, refuses a running one, and answers 404 for a missing or bad id', async () => {
    const ended = await fixture({ status: 'passed', completed_at: new Date() });
    expect((await call('DELETE', `/api/backup-verifications/${ended.id}/`)).status).toBe(204);
    const gone = await call('GET', `/api/backup-verifications/${ended.id}/`, undefined, 'en');
    expect(gone).toMatchObject({
      status: 404,
      body: { code: 'not_found', message: `Verification ${ended.id} does not exist.` },
    });
    const running = await fixture({ status: 'running', started_at: new Date() });
    const refused = await call('DELETE', `/api/backup-verifications/${running.id}/`);
    expect(refused).toMatchObject({
      status: 409,
      body: {
        code: 'verification_running',
        message: 'Cette vérification est en cours : annulez-la d’abord, puis supprimez-la.',
      },
    });
    for (const bad of ['abc', '1.5', '0', '99999999999999999999'])
      expect((await call('GET', `/api/backup-verifications/${bad}/`)).body).toMatchObject({
        status: 404,
        code: 'not_found',
      });
    expect((await call('DELETE', '/api/verification-schedules/999999/')).body).toMatchObject({
      code: 'not_found',
    });
  });

  it("shows the log and the error in the reader's language, and lines written before as stored", async () => {
    const stamp = '2025-11-29 10:00:00';
    const v = await fixture({
      status: 'failed',
      completed_at: new Date(),
      detailed_log:
        `${stamp} - Restoring to [datastore1] as surebackup-old-1\n` +
        `${stamp} - ${storeMessage(msg('surebackup.log.cleanup_done'))}\n`,
      error_message: storeMessage(
        msg('surebackup.error.not_booted', { detail: msg('surebackup.boot.timeout', { seconds: 600 }) }),
        'not_booted',
      ),
    });
    const fr = (await call('GET', `/api/backup-verifications/${v.id}/`)).body;
    expect(fr).toMatchObject({
      error_code: 'not_booted',
      error_message:
        'La VM n’a pas démarré : ni heartbeat, ni VMware Tools, ni adresse IP de l’invité en 600 s.',
      detailed_log: `${stamp} - Restoring to [datastore1] as surebackup-old-1\n${stamp} - Nettoyage terminé\n`,
    });
    const en = (await call('GET', `/api/backup-verifications/${v.id}/`, undefined, 'en')).body;
    expect(en.detailed_log).toBe(
      `${stamp} - Restoring to [datastore1] as surebackup-old-1\n${stamp} - Cleanup done\n`,
    );
    const old = await fixture({ status: 'failed', error_message: 'The VM did not boot.' });
    expect((await call('GET', `/api/backup-verifications/${old.id}/`)).body).toMatchObject({
      error_message: 'The VM did not boot.',
      error_code: null,
    });

    const { cookie } = await t.signIn('viewer');
    const page = await t.app.request(`/surebackup/${v.id}`, {
      headers: { Cookie: cookie, 'Accept-Language': 'fr' },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Nettoyage terminé');
    expect(html).toContain('Erreur : La VM n’a pas démarré');
    expect(html).not.toContain('{&quot;key');
    const missing = await t.app.request('/surebackup/999999', {
      headers: { Cookie: cookie, 'Accept-Language': 'en' },
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Verification 999999 does not exist.');
  });
});
