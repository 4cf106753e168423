/**
 * @module test/lab-network/interrupted: the app is killed (SIGKILL) while a verification VM runs on a lab
 * network it created, or with ledger rows a dead process left: after the restart the interrupted-job cleanup
 * and the start-up sweep remove the VM, the portgroup and the vSwitch.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab_network_users, lab_networks } from '../../src/db/schema.js';
import {
  addPortgroup,
  addVirtualSwitch,
  listPortgroups,
  listVirtualSwitches,
  type VSphereClient,
} from '../../src/vsphere/index.js';
import { connect, putFile } from '../backup/support.js';
import { type Json, registerSimulator } from '../support/api-client.js';
import { killableApp } from '../support/killable-app.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { ISOLATED, labSwitches, ledger, switchOf, vmState, whenPoweredOn } from './support.js';

describe('lab networks after the app process is killed', () => {
  const app = killableApp({
    JOB_LEASE_SECONDS: '2',
    VERIFICATION_NO_TOOLS_GRACE_SECONDS: '300',
    LAB_NETWORK_SWEEP_INTERVAL_SECONDS: '1',
  });
  let esx: Simulator;
  let client: VSphereClient;
  const storageDir = mkdtempSync(path.join(tmpdir(), 'ebm-lab-kill-store-'));

  beforeAll(async () => {
    esx = await startSimulator({ tls: true });
    client = await connect(esx);
  });
  afterAll(async () => {
    await client?.logout();
    await esx?.stop();
  });

  const poll = async (url: string, done: (s: Json) => boolean) => {
    for (let i = 0; i < 300; i++) {
      const state = (await app.api.call('GET', url)).body;
      if (done(state)) return state;
      await new Promise((r) => setTimeout(r, 100));
    }
    return (await app.api.call('GET', url)).body;
  };

  it('removes the verification VM, then the portgroup and the vSwitch it created', async () => {
    await app.kill();
    await app.start();
    const { call } = app.api;
    const vm0 = esx.vms[0] as string;
    await putFile(client, esx, `${vm0}/disk1-flat.vmdk`, randomBytes(256 * 1024));
    await putFile(
      client,
      esx,
      `${vm0}/${vm0}.vmx`,
      'ethernet0.present = "TRUE"\nethernet0.networkName = "VM Network"\n',
    );
    const serverId = await registerSimulator(app.api, `esx-${Date.now()}`, esx);
    const storage = await call('POST', '/api/storage-paths/', { name: 'local', path: storageDir });
    const vms = (await call('GET', `/api/virtual-machines/?search=${vm0}`)).body;
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
    const name = `surebackup-${vm0}-${created.body.id}`;
    expect((await whenPoweredOn(client, name)).networks).toEqual([ISOLATED]);
    const sw = await switchOf(client, ISOLATED);
    expect(sw).toMatchObject({ uplinks: [], portgroups: [ISOLATED] });

    await app.killAndRestart();
    const done = await poll(`/api/backup-verifications/${created.body.id}/`, (s) =>
      String(s.detailed_log).includes('Réseau de test supprimé'),
    );
    expect(done).toMatchObject({ status: 'failed', vm_cleanup_done: true });
    expect(done.detailed_log).toContain(`portgroup « ${ISOLATED} » et vSwitch « ${sw?.name} »`);
    expect(await vmState(client, name)).toBeNull();
    expect(await labSwitches(client)).toEqual([]);
    expect(await listPortgroups(client)).not.toContain(ISOLATED);
    expect((await ledger(app.database.db)).every((n) => n.state === 'removed')).toBe(true);
  });

  it('sweeps at start-up what a process died creating, and a network its last user left', async () => {
    await app.kill();
    await app.start();
    const serverId = await registerSimulator(app.api, `esx-${Date.now()}`, esx);
    await app.kill();
    const { db } = app.database;
    // a process died between its ledger row and its "ready": half of what it made is on the host
    const [creating] = await db
      .insert(lab_networks)
      .values({
        esxi_server_id: serverId,
        portgroup_name: 'Lab A',
        vswitch_name: 'ebm-lab-dead01',
        state: 'creating',
        state_changed_at: new Date(Date.now() - 10 * 60_000),
      })
      .returning();
    await addVirtualSwitch(client, { name: 'ebm-lab-dead01' });
    await addPortgroup(client, { name: 'Lab A', vswitch: 'ebm-lab-dead01' });
    // a ready network whose only user's VM is gone (its job row deleted)
    const [ready] = await db
      .insert(lab_networks)
      .values({
        esxi_server_id: serverId,
        portgroup_name: 'Lab B',
        vswitch_name: 'ebm-lab-dead02',
        state: 'ready',
      })
      .returning();
    await db.insert(lab_network_users).values({
      lab_network_id: ready?.id as number,
      kind: 'verification',
      owner_id: 0,
      job_id: null,
      vm_name: 'surebackup-gone-0',
    });
    await addVirtualSwitch(client, { name: 'ebm-lab-dead02' });
    await addPortgroup(client, { name: 'Lab B', vswitch: 'ebm-lab-dead02' });

    await app.start();
    await expect
      .poll(async () => (await listVirtualSwitches(client)).map((v) => v.name), {
        timeout: 30_000,
        interval: 200,
      })
      .toEqual(['vSwitch0']);
    expect(await listPortgroups(client)).not.toContain('Lab A');
    expect(await listPortgroups(client)).not.toContain('Lab B');
    const rows = await ledger(db);
    expect(rows.find((n) => n.id === creating?.id)?.state).toBe('removed');
    expect(rows.find((n) => n.id === ready?.id)).toMatchObject({ state: 'removed' });
    expect(rows.find((n) => n.id === ready?.id)?.users[0]?.released_at).not.toBeNull();
  });
});
