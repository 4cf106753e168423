import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stagingFolder } from '../../src/replication/cycle.js';
import { connect, putFile, sha256 } from '../backup/support.js';
import { type Json, registerSimulator } from '../support/api-client.js';
import { killableApp } from '../support/killable-app.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { datastoreSha, runEnded, vmNamed } from './support.js';

describe('a replication cycle whose app process is killed', () => {
  const app = killableApp();
  let source: Simulator;
  let dest: Simulator;
  let ids: { source: number; dest: number };
  const disk = randomBytes(384 * 1024 * 1024);

  beforeAll(async () => {
    [source, dest] = await Promise.all([startSimulator({ tls: true }), startSimulator({ tls: false })]);
    await app.start();
    ids = {
      source: await registerSimulator(app.api, 'source', source),
      dest: await registerSimulator(app.api, 'dest', dest),
    };
  });
  /** A replication of the source's `vmName` (given the test disk). @returns its id. */
  async function replicationOf(vmName: string): Promise<number> {
    const client = await connect(source);
    await putFile(client, source, `${vmName}/disk1-flat.vmdk`, disk);
    await client.logout();
    const vms = (
      await app.api.call('GET', `/api/virtual-machines/?esxi_server=${ids.source}&search=${vmName}`)
    ).body;
    const replication = await app.api.call('POST', '/api/vm-replications/', {
      name: vmName,
      virtual_machine: vms.find((v) => v.name === vmName)?.id,
      destination_server: ids.dest,
      destination_datastore: dest.datastores[0]?.name,
    });
    expect(replication.status).toBe(201);
    return replication.body.id as number;
  }
  /** Polls a run's progress until its copy has begun. */
  async function untilCopying(progress: string): Promise<Json> {
    let state: Json = {};
    for (let i = 0; i < 400; i++) {
      state = (await app.api.call('GET', progress)).body;
      if (state.status === 'running' && (state.bytes_done as number) > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    return state;
  }

  afterAll(async () => {
    await Promise.all([source?.stop(), dest?.stop()]);
  });

  it('is failed as interrupted after restart and leaves no snapshot, no half replica', async () => {
    const vmName = source.vms[0] as string;
    const replicationId = await replicationOf(vmName);
    const { api } = app;
    const client = await connect(source);
    const started = await api.call('POST', `/api/vm-replications/${replicationId}/start_replication/`);
    const progress = `/api/vm-replications/runs/${started.body.replication_id}/progress/`;
    let state = await untilCopying(progress);
    expect(state.status).toBe('running');
    await app.kill();
    expect((await vmNamed(client, vmName))?.snapshots.length).toBe(1);

    await app.start();
    state = await api.until(progress, (s) => s.status !== 'running', 30_000);
    expect(state).toMatchObject({ status: 'error' });
    expect(state.message).toBe(
      'Réplication échouée : interrompue : le serveur s’est arrêté pendant l’opération',
    );
    await expect
      .poll(async () => (await vmNamed(client, vmName))?.snapshots.length, { timeout: 20_000 })
      .toBe(0);
    // the interrupted job's cleanup (half replica removed, row in error) runs once the job is failed
    const replication = async () => (await api.call('GET', `/api/vm-replications/${replicationId}/`)).body;
    await expect
      .poll(replication, { timeout: 20_000 })
      .toMatchObject({ status: 'error', replica_vm_moref: null });
    const row = await replication();
    expect(row).toMatchObject({
      last_error: 'interrompue : le serveur s’est arrêté pendant l’opération',
      last_error_code: 'interrupted',
    });
    const d = await connect(dest);
    expect(await vmNamed(d, `${vmName}_replica`)).toBeUndefined();
    const folder = path.join(dest.datastores[0]?.path as string, `${vmName}_replica`);
    await expect.poll(() => existsSync(folder), { timeout: 10_000 }).toBe(false);
    await d.logout();
    await client.logout();
  });

  it('a refresh killed midway leaves the last good replica whole and no staging folder after restart', async () => {
    const vmName = source.vms[1] as string;
    const replicationId = await replicationOf(vmName);
    const { api } = app;
    const replica = `${vmName}_replica`;
    const start = async (body?: Json) =>
      (await api.call('POST', `/api/vm-replications/${replicationId}/start_replication/`, body)).body
        .replication_id as number;
    const progressOf = (run: number) => `/api/vm-replications/runs/${run}/progress/`;
    expect(await api.until(progressOf(await start()), runEnded, 60_000)).toMatchObject({
      status: 'completed',
    });
    const client = await connect(source);
    await putFile(client, source, `${vmName}/disk1-flat.vmdk`, randomBytes(disk.length));
    await client.logout();

    const run = await start({ existing_replica: 'refresh' });
    expect((await untilCopying(progressOf(run))).status).toBe('running');
    const staging = path.join(dest.datastores[0]?.path as string, stagingFolder(replica, run));
    expect(existsSync(staging)).toBe(true);
    await app.killAndRestart();
    expect(await api.until(progressOf(run), (s) => s.status !== 'running', 30_000)).toMatchObject({
      status: 'error',
    });
    await expect.poll(() => existsSync(staging), { timeout: 10_000 }).toBe(false);
    const d = await connect(dest);
    expect((await vmNamed(d, replica))?.power_state).toBe('poweredOff');
    expect(await datastoreSha(d, dest, `${replica}/disk1-flat.vmdk`)).toBe(sha256(disk));
    await d.logout();
  });
});
