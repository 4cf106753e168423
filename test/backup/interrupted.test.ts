import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Index } from '../../src/repository/format.js';
import { fetchInventory } from '../../src/vsphere/index.js';
import { type Json, registerSimulator } from '../support/api-client.js';
import { killableApp } from '../support/killable-app.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { connect, putFile, sha256 } from './support.js';

describe('a backup whose app process is killed', () => {
  const app = killableApp();
  let esx: Simulator;
  const storageDir = mkdtempSync(path.join(tmpdir(), 'ebm-kill-store-'));

  beforeAll(async () => {
    esx = await startSimulator({ tls: true });
  });
  afterAll(async () => {
    await esx?.stop();
  });

  it('is failed as interrupted after restart, leaves no snapshot and no restore point; GC then removes its orphan chunks and an earlier one still restores', async () => {
    await app.start();
    const { api } = app;
    const { call } = api;

    const serverId = await registerSimulator(api, 'esx', esx);
    const vmName = esx.vms[0] as string;
    const client = await connect(esx);
    const small = randomBytes(8 * 1024 * 1024);
    await putFile(client, esx, `${vmName}/disk1-flat.vmdk`, small);
    await call('POST', `/api/esxi-servers/${serverId}/sync/`);
    const storage = await call('POST', '/api/storage-paths/', { name: 'local', path: storageDir });
    expect(storage.status).toBe(201);
    const vms = (await call('GET', `/api/virtual-machines/?search=${vmName}`)).body;
    const waitDone = async (url: string) => {
      let body: Json = {};
      for (let i = 0; i < 600; i++) {
        body = (await call('GET', url)).body;
        if (body.status !== 'PENDING' && body.status !== 'IN_PROGRESS') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return body;
    };
    const earlier = await call('POST', '/api/vm-backups/', {
      virtual_machine: vms[0]?.id,
      storage_path: storage.body.id,
    });
    expect(await waitDone(`/api/vm-backups/${earlier.body.id}/`)).toMatchObject({ status: 'COMPLETED' });

    await putFile(client, esx, `${vmName}/disk1-flat.vmdk`, randomBytes(384 * 1024 * 1024));
    const backup = await call('POST', '/api/vm-backups/', {
      virtual_machine: vms[0]?.id,
      storage_path: storage.body.id,
    });
    expect(backup.status).toBe(201);

    let state: Json = {};
    for (let i = 0; i < 400; i++) {
      state = (await call('GET', `/api/vm-backups/${backup.body.id}/`)).body;
      if (state.status !== 'PENDING' && (state.bytes_done as number) > 64 * 1024 * 1024) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(state.status).toBe('IN_PROGRESS');
    await app.kill();
    const indexDir = path.join(storageDir, '.indexes', vmName);
    const mine = () => readdirSync(indexDir).filter((name) => name.includes(`-job${backup.body.job_id}`));
    expect(mine()).toEqual([]);
    expect(readdirSync(indexDir)).toHaveLength(1);
    const during = await fetchInventory(client);
    expect(during.vms.find((v) => v.name === vmName)?.snapshots.length).toBe(1);

    await app.start();
    for (let i = 0; i < 200; i++) {
      state = (await call('GET', `/api/vm-backups/${backup.body.id}/`)).body;
      if (state.status !== 'IN_PROGRESS') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toMatchObject({
      status: 'FAILED',
      error: 'interrompue : le serveur s’est arrêté pendant l’opération',
      error_code: 'interrupted',
      backup_dir: null,
    });
    await expect
      .poll(async () => (await fetchInventory(client)).vms.find((v) => v.name === vmName)?.snapshots.length, {
        timeout: 20_000,
      })
      .toBe(0);
    expect(mine()).toEqual([]);
    const completed = (await call('GET', '/api/vm-backups/?status=COMPLETED')).body;
    expect(completed.map((b) => b.id)).toEqual([earlier.body.id]);

    // The killed backup left chunks that no index names; once they are older than the GC's margin
    // (hours pass: their mtimes are set back), a garbage collection removes exactly those.
    const [earlierIndex] = readdirSync(indexDir);
    const named = new Set(
      (JSON.parse(readFileSync(path.join(indexDir, earlierIndex ?? ''), 'utf8')) as Index).files.flatMap(
        (f) => f.chunks.filter((c): c is string => c !== null),
      ),
    );
    const chunkNames = () =>
      readdirSync(path.join(storageDir, '.chunks'), { recursive: true, encoding: 'utf8' }).filter((name) =>
        /[0-9a-f]{64}$/.test(name),
      );
    expect(chunkNames().filter((name) => !named.has(path.basename(name))).length).toBeGreaterThan(0);
    const hoursAgo = new Date(Date.now() - 3 * 3600_000);
    for (const name of [
      ...chunkNames().map((n) => path.join('.chunks', n)),
      ...readdirSync(path.join(storageDir, '.tmp')).map((n) => path.join('.tmp', n)),
    ]) {
      utimesSync(path.join(storageDir, name), hoursAgo, hoursAgo);
    }
    const gc = await call('POST', `/api/storage-paths/${storage.body.id}/garbage_collect/`);
    expect(gc.status).toBe(202);
    expect(await waitDone(`/api/operations/${gc.body.id}/`)).toMatchObject({ status: 'COMPLETED' });
    expect(new Set(chunkNames().map((name) => path.basename(name)))).toEqual(named);
    expect(readdirSync(path.join(storageDir, '.tmp'))).toEqual([]);

    const restore = await call('POST', `/api/vm-backups/${earlier.body.id}/restore/`, {
      esxi_server: serverId,
      datastore: esx.datastores[0]?.name,
      vm_name: 'earlier-restored',
    });
    expect(restore.status).toBe(201);
    expect(await waitDone(`/api/restores/${restore.body.id}/`)).toMatchObject({ status: 'COMPLETED' });
    const restored = readFileSync(
      path.join(esx.datastores[0]?.path ?? '', 'earlier-restored', 'disk1-flat.vmdk'),
    );
    expect(sha256(restored)).toBe(sha256(small));
    await client.logout();
  });
});
