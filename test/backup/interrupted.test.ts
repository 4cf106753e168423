import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchInventory } from '../../src/vsphere/index.js';
import { type Json, registerSimulator } from '../support/api-client.js';
import { killableApp } from '../support/killable-app.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { connect, putFile } from './support.js';

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

  it('is failed as interrupted after restart, leaves no snapshot and no partial backup', async () => {
    await app.start();
    const { api } = app;
    const { call } = api;

    const serverId = await registerSimulator(api, 'esx', esx);
    const vmName = esx.vms[0] as string;
    const client = await connect(esx);
    await putFile(client, esx, `${vmName}/disk1-flat.vmdk`, randomBytes(384 * 1024 * 1024));
    await call('POST', `/api/esxi-servers/${serverId}/sync/`);
    const storage = await call('POST', '/api/storage-paths/', { name: 'local', path: storageDir });
    expect(storage.status).toBe(201);
    const vms = (await call('GET', `/api/virtual-machines/?search=${vmName}`)).body;
    const backup = await call('POST', '/api/vm-backups/', {
      virtual_machine: vms[0]?.id,
      storage_path: storage.body.id,
    });
    expect(backup.status).toBe(201);

    let state: Json = {};
    for (let i = 0; i < 400; i++) {
      state = (await call('GET', `/api/vm-backups/${backup.body.id}/`)).body;
      if (state.status !== 'PENDING' && (state.bytes_done as number) > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(state.status).toBe('IN_PROGRESS');
    await app.kill();
    const vmDir = path.join(storageDir, vmName);
    expect(readdirSync(vmDir).some((name) => name.endsWith('.partial'))).toBe(true);
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
    await expect.poll(() => readdirSync(vmDir), { timeout: 10_000 }).toEqual([]);
    const completed = (await call('GET', '/api/vm-backups/?status=COMPLETED')).body;
    expect(completed).toEqual([]);
    await client.logout();
  });
});
