import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { vm_backups } from '../../src/db/schema.js';
import { fetchInventory, openDatastoreRead } from '../../src/vsphere/index.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import {
  addServer,
  addStoragePath,
  chunkFileOf,
  connect,
  flipByte,
  putFile,
  removeStorageDirs,
  sha256,
} from './support.js';

describe('backup and restore through the API and the job runner', () => {
  let source: Simulator;
  let target: Simulator;
  let t: TestApp;
  let headers: Record<string, string>;
  const disk = randomBytes(8 * 1024 * 1024);

  beforeAll(async () => {
    [source, target] = await Promise.all([startSimulator({ tls: true }), startSimulator({ tls: false })]);
    const client = await connect(source);
    await putFile(client, source, `${source.vms[0]}/disk1-flat.vmdk`, disk);
    await client.logout();
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    removeStorageDirs();
  });
  beforeEach(async () => {
    t = await createTestApp({}, { runner: true });
    headers = (await t.apiUser('operator')).headers;
  });
  afterEach(async () => {
    await t.close();
  });

  const api = () => apiClient((url, init) => Promise.resolve(t.app.request(url, init)), headers);
  const call = (method: string, url: string, body?: Json) => api().call(method, url, body);
  const until = (url: string, done: (s: Json) => boolean) => api().until(url, done, 30_000);
  const finished = (s: Json) => !['PENDING', 'IN_PROGRESS'].includes(s.status as string);

  async function backUp() {
    const serverId = await addServer(t.deps, source, 'source');
    const storage = await addStoragePath(t.deps);
    const vm = (await call('GET', `/api/virtual-machines/?esxi_server=${serverId}&search=${source.vms[0]}`))
      .body[0] as Json;
    const created = await call('POST', '/api/vm-backups/', {
      virtual_machine: vm.id,
      storage_path: storage.id,
    });
    expect(created.status).toBe(201);
    expect(created.body.vm_name).toBe(source.vms[0]);
    // The runner is woken at once and may already have claimed it.
    expect(['PENDING', 'IN_PROGRESS']).toContain(created.body.status);
    return until(`/api/vm-backups/${created.body.id}/`, finished);
  }

  it('backs a VM up, lists it as COMPLETED with its size, and restores it onto another host', async () => {
    const backup = await backUp();
    expect(backup).toMatchObject({ status: 'COMPLETED', progress: 100 });
    expect(backup.size_bytes).toBeGreaterThanOrEqual(disk.length);
    const listed = (await call('GET', '/api/vm-backups/?status=COMPLETED')).body;
    expect(listed.map((b) => b.id)).toEqual([backup.id]);
    const { cookie } = await t.signIn('viewer');
    const dashboard = await (await t.app.request('/', { headers: { Cookie: cookie } })).text();
    expect(dashboard).toMatch(/data-testid="stat-backups">[\s\S]*?<strong>1<\/strong>[\s\S]*?Échouées: 0/);
    expect(backup).toMatchObject({
      format: 'repository',
      verification_state: 'unverified',
      verified_at: null,
    });
    expect(backup.bytes_read).toBe(backup.logical_bytes);
    expect(backup.bytes_written).toBeGreaterThanOrEqual(disk.length);
    expect(backup).not.toHaveProperty('index_path');
    const history = await (await t.app.request('/backups/history', { headers: { Cookie: cookie } })).text();
    expect(history).toContain('data-testid="backup-bytes-written"');
    expect(history).toContain('non vérifié');

    const targetId = await addServer(t.deps, target, 'target');
    const restore = await call('POST', `/api/vm-backups/${backup.id}/restore/`, {
      esxi_server: targetId,
      datastore: target.datastores[0]?.name,
      vm_name: 'restored-vm',
      power_on: false,
    });
    expect(restore.status).toBe(201);
    const done = await until(`/api/restores/${restore.body.id}/`, finished);
    expect(done).toMatchObject({ status: 'COMPLETED', vm_name: 'restored-vm' });
    const client = await connect(target);
    const inventory = await fetchInventory(client);
    expect(inventory.vms.map((v) => v.name)).toContain('restored-vm');
    const { stream } = await openDatastoreRead(client, {
      datacenter: target.datacenter,
      datastore: target.datastores[0]?.name as string,
      path: 'restored-vm/disk1-flat.vmdk',
    });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(disk));
    await client.logout();
    const vms = (await call('GET', `/api/virtual-machines/?esxi_server=${targetId}`)).body;
    expect(vms.map((v) => v.name)).toContain('restored-vm');
  });

  it('refuses to restore a corrupted backup and names the file', async () => {
    const backup = await backUp();
    const [row] = await t.deps.db
      .select()
      .from(vm_backups)
      .where(eq(vm_backups.id, backup.id as number));
    flipByte(chunkFileOf(row?.index_path as string, 'disk1-flat.vmdk', 0));
    const targetId = await addServer(t.deps, target, 'target');
    const restore = await call('POST', `/api/vm-backups/${backup.id}/restore/`, {
      esxi_server: targetId,
      datastore: target.datastores[0]?.name,
      vm_name: 'never-restored',
    });
    const done = await until(`/api/restores/${restore.body.id}/`, finished);
    expect(done.status).toBe('FAILED');
    expect(done.error).toContain('disk1-flat.vmdk');
    const client = await connect(target);
    expect((await fetchInventory(client)).vms.map((v) => v.name)).not.toContain('never-restored');
    await client.logout();
  });

  it('answers 400 to bad input and 403 to a viewer', async () => {
    const bad = await call('POST', '/api/vm-backups/', { virtual_machine: 'one' });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.body as unknown as { errors: Json }).errors)).toEqual(['virtual_machine']);
    const unknown = await call('POST', '/api/vm-backups/', { virtual_machine: 999_999 });
    expect(unknown).toMatchObject({
      status: 400,
      body: {
        code: 'invalid_input',
        message: 'La machine virtuelle 999999 n’existe pas.',
        errors: { virtual_machine: ['La machine virtuelle 999999 n’existe pas.'] },
      },
    });
    expect((await call('GET', '/api/vm-backups/?status=DONE')).status).toBe(400);
    const viewer = await t.apiUser('viewer');
    const denied = await t.app.request('/api/vm-backups/', {
      method: 'POST',
      headers: viewer.headers,
      body: '{}',
    });
    expect(denied.status).toBe(403);
  });
});
