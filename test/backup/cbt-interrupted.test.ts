/**
 * An incremental backup (changed block tracking) whose app process is killed midway: no restore point, and
 * the next backup builds on the last good one and restores byte-identical. Driven through the API.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, registerSimulator } from '../support/api-client.js';
import { guestWrite } from '../support/guest-disk.js';
import { killableApp } from '../support/killable-app.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { connect, putFile, sha256 } from './support.js';

const MiB = 1024 * 1024;

describe('an incremental backup whose app process is killed', () => {
  const app = killableApp();
  let esx: Simulator;
  const storageDir = mkdtempSync(path.join(tmpdir(), 'ebm-kill-cbt-'));

  beforeAll(async () => {
    esx = await startSimulator({ tls: true, vms: 1, diskMib: 256 });
  });
  afterAll(async () => {
    await esx?.stop();
  });

  it('leaves no restore point; the next backup is incremental from the last good one and restores it', async () => {
    await app.start();
    const { call } = app.api;
    const disk = Buffer.alloc(256 * MiB);
    randomBytes(32 * MiB).copy(disk, 0);
    const vmName = esx.vms[0] as string;
    const client = await connect(esx);
    await putFile(client, esx, `${vmName}/disk1-flat.vmdk`, disk);
    const serverId = await registerSimulator(app.api, 'esx', esx);
    const storage = await call('POST', '/api/storage-paths/', { name: 'local', path: storageDir });
    const [vm] = (await call('GET', `/api/virtual-machines/?search=${vmName}`)).body as unknown as Json[];
    if (!vm) throw new Error(`no VM ${vmName}`);
    const on = await call('POST', `/api/virtual-machines/${vm.id}/enable_change_tracking/`);
    expect(on.body).toMatchObject({ change_tracking_enabled: true });
    const key = Number((vm.disks as Json[])[0]?.key);
    const waitDone = async (url: string) => {
      let body: Json = {};
      for (let i = 0; i < 900; i++) {
        body = (await call('GET', url)).body;
        if (body.status !== 'PENDING' && body.status !== 'IN_PROGRESS') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return body;
    };
    const backUp = () =>
      call('POST', '/api/vm-backups/', { virtual_machine: vm.id, storage_path: storage.body.id });

    const first = await backUp();
    expect(await waitDone(`/api/vm-backups/${first.body.id}/`)).toMatchObject({
      status: 'COMPLETED',
      mode: 'full',
      cbt_fallback_reason: 'no_previous_restore_point',
      changed_bytes: 32 * MiB,
    });
    for (let at = 64 * MiB; at < 224 * MiB; at += 16 * MiB) {
      const data = randomBytes(16 * MiB);
      await guestWrite(esx, vm.moref as string, key, at, data);
      data.copy(disk, at);
    }

    const killed = await backUp();
    let state: Json = {};
    for (let i = 0; i < 400; i++) {
      state = (await call('GET', `/api/vm-backups/${killed.body.id}/`)).body;
      if (state.status !== 'PENDING' && (state.bytes_done as number) > 32 * MiB) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(state.status).toBe('IN_PROGRESS');
    await app.kill();
    const indexDir = path.join(storageDir, '.indexes', vmName);
    const mine = () => readdirSync(indexDir).filter((n) => n.includes(`-job${killed.body.job_id}`));
    expect(mine()).toEqual([]);

    await app.start();
    expect(await waitDone(`/api/vm-backups/${killed.body.id}/`)).toMatchObject({
      status: 'FAILED',
      error_code: 'interrupted',
    });
    expect(mine()).toEqual([]);
    const next = await backUp();
    const done = await waitDone(`/api/vm-backups/${next.body.id}/`);
    expect(done).toMatchObject({ status: 'COMPLETED', mode: 'incremental', cbt_fallback_reason: null });
    expect(done.changed_bytes).toBe(160 * MiB);
    expect(done.bytes_read as number).toBeLessThan(170 * MiB);

    const restore = await call('POST', `/api/vm-backups/${next.body.id}/restore/`, {
      esxi_server: serverId,
      datastore: esx.datastores[0]?.name,
      vm_name: 'after-kill',
    });
    expect(await waitDone(`/api/restores/${restore.body.id}/`)).toMatchObject({ status: 'COMPLETED' });
    const restored = readFileSync(path.join(esx.datastores[0]?.path ?? '', 'after-kill', 'disk1-flat.vmdk'));
    expect(sha256(restored)).toBe(sha256(disk));
    await client.logout();
  });
});
