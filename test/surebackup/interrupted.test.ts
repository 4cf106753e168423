/** @module test/surebackup/interrupted: a verification whose app process is killed while its VM is booting. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchInventory } from '../../src/vsphere/index.js';
import { connect, putFile } from '../backup/support.js';
import { type Json, registerSimulator } from '../support/api-client.js';
import { killableApp } from '../support/killable-app.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

describe('a verification whose app process is killed', () => {
  const app = killableApp({ JOB_LEASE_SECONDS: '2', VERIFICATION_NO_TOOLS_GRACE_SECONDS: '300' });
  let esx: Simulator;
  const storageDir = mkdtempSync(path.join(tmpdir(), 'ebm-sb-kill-store-'));

  beforeAll(async () => {
    esx = await startSimulator({ tls: true });
  });
  afterAll(async () => {
    await esx?.stop();
  });

  it('is failed as interrupted after restart and its VM is destroyed', async () => {
    await app.start();
    const { api } = app;
    const { call } = api;
    const poll = async (url: string, done: (s: Json) => boolean) => {
      for (let i = 0; i < 300; i++) {
        const state = (await call('GET', url)).body;
        if (done(state)) return state;
        await new Promise((r) => setTimeout(r, 100));
      }
      return (await call('GET', url)).body;
    };
    const client = await connect(esx);
    await putFile(client, esx, `${esx.vms[0]}/disk1-flat.vmdk`, randomBytes(512 * 1024));
    const serverId = await registerSimulator(api, 'esx', esx);
    const storage = await call('POST', '/api/storage-paths/', { name: 'local', path: storageDir });
    const vms = (await call('GET', `/api/virtual-machines/?search=${esx.vms[0]}`)).body;
    const backup = await call('POST', '/api/vm-backups/', {
      virtual_machine: vms[0]?.id,
      storage_path: storage.body.id,
    });
    expect((await poll(`/api/vm-backups/${backup.body.id}/`, (s) => s.status === 'COMPLETED')).status).toBe(
      'COMPLETED',
    );

    const created = await call('POST', '/api/backup-verifications/', {
      vm_backup: backup.body.id,
      esxi_server: serverId,
    });
    expect(created.status).toBe(201);
    const name = `surebackup-${esx.vms[0]}-${created.body.id}`;
    await expect
      .poll(async () => (await fetchInventory(client)).vms.find((v) => v.name === name)?.power_state, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe('poweredOn');
    await app.killAndRestart();
    const done = await poll(
      `/api/backup-verifications/${created.body.id}/`,
      (s) => s.vm_cleanup_done === true,
    );
    expect(done).toMatchObject({
      status: 'failed',
      error_message: 'interrompue : le serveur s’est arrêté pendant l’opération',
      error_code: 'interrupted',
      vm_restored: true,
      vm_cleanup_done: true,
    });
    expect(done.detailed_log).toContain(`${name} et ses fichiers supprimés`);
    expect(done.detailed_log).toContain('Nettoyage terminé après l’interruption');
    expect((await fetchInventory(client)).vms.map((v) => v.name)).not.toContain(name);
    const operations = (await call('GET', '/api/operations/')).body;
    expect(operations.find((o) => o.type === 'verification')).toMatchObject({ status: 'FAILED' });
    await client.logout();
  });
});
