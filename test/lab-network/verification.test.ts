/**
 * @module test/lab-network/verification: SureBackup verifications on a simulated host with and without an
 * isolated portgroup: the virtual lab network is created, shared, removed, and the admin's portgroups are
 * never touched (through the API and the real job runner).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPortgroup,
  addVirtualSwitch,
  listPortgroups,
  listVirtualSwitches,
  removePortgroup,
  removeVirtualSwitch,
  type VSphereClient,
} from '../../src/vsphere/index.js';
import { addServer, addStoragePath, connect, putFile, removeStorageDirs } from '../backup/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ISOLATED, labSwitches, ledger, switchOf, vmState, whenPoweredOn } from './support.js';

describe('the virtual lab network of SureBackup verifications', () => {
  let esx: Simulator;
  let t: TestApp;
  let client: VSphereClient;
  let api: ReturnType<typeof apiClient>;
  let apiEn: ReturnType<typeof apiClient>;
  let serverId: number;
  let backupId: number;

  beforeAll(async () => {
    esx = await startSimulator({ tls: false });
    client = await connect(esx);
    await putFile(client, esx, `${esx.vms[0]}/disk1-flat.vmdk`, randomBytes(256 * 1024));
    // one adapter on the production network: the restored copy must come up on the test network instead
    const vmx = [
      'ethernet0.present = "TRUE"',
      'ethernet0.virtualDev = "vmxnet3"',
      'ethernet0.networkName = "VM Network"',
    ];
    await putFile(client, esx, `${esx.vms[0]}/${esx.vms[0]}.vmx`, vmx.join('\n'));
    t = await createTestApp(
      { VERIFICATION_NO_TOOLS_GRACE_SECONDS: '6', JOB_CONCURRENCY: '2', JOB_CONCURRENCY_PER_HOST: '2' },
      { runner: true },
    );
    const { headers } = await t.apiUser('operator');
    const request = (url: string, init: RequestInit) => Promise.resolve(t.app.request(url, init));
    api = apiClient(request, headers);
    apiEn = apiClient(request, { ...headers, 'Accept-Language': 'en' });
    serverId = await addServer(t.deps, esx, 'esx');
    const storage = await addStoragePath(t.deps);
    const vm = (await api.call('GET', `/api/virtual-machines/?search=${esx.vms[0]}`)).body[0] as Json;
    const backup = await api.call('POST', '/api/vm-backups/', {
      virtual_machine: vm.id,
      storage_path: storage.id,
    });
    for (let i = 0; i < 300 && !backupId; i++) {
      const state = (await api.call('GET', `/api/vm-backups/${backup.body.id}/`)).body;
      if (state.status === 'COMPLETED') backupId = state.id as number;
      else await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    await client?.logout();
    await t?.close();
    await esx?.stop();
    removeStorageDirs();
  });

  const verify = async (body: Json = {}) => {
    const created = await api.call('POST', '/api/backup-verifications/', {
      vm_backup: backupId,
      esxi_server: serverId,
      test_type: 'boot',
      ...body,
    });
    expect(created.status).toBe(201);
    return { id: created.body.id as number, vm: `surebackup-${esx.vms[0]}-${created.body.id}` };
  };
  const finished = (id: number) =>
    api.until(
      `/api/backup-verifications/${id}/`,
      (s) => !['pending', 'running'].includes(s.status as string),
    );

  it('creates a vSwitch without uplink and the portgroup, boots the VM on it, then removes both', async () => {
    const run = await verify();
    const running = await whenPoweredOn(client, run.vm);
    expect(running.networks).toEqual([ISOLATED]);
    const sw = await switchOf(client, ISOLATED);
    expect(sw?.name).toMatch(/^ebm-lab-[0-9a-f]{6}$/);
    expect(sw).toMatchObject({ uplinks: [], bridged: false, portgroups: [ISOLATED] });

    const done = await finished(run.id);
    expect(done).toMatchObject({ status: 'passed', vm_cleanup_done: true });
    expect(done.detailed_log).toContain(
      `Réseau de test isolé créé sur esx : vSwitch « ${sw?.name} » sans liaison montante physique et portgroup « ${ISOLATED} »`,
    );
    expect(done.detailed_log).toContain(`Réseau de test supprimé de esx : portgroup « ${ISOLATED} »`);
    const english = (await apiEn.call('GET', `/api/backup-verifications/${run.id}/`)).body;
    expect(english.detailed_log).toContain(`Test network removed from esx: portgroup "${ISOLATED}"`);
    expect(await labSwitches(client)).toEqual([]);
    expect(await listPortgroups(client)).not.toContain(ISOLATED);
    const rows = (await ledger(t.deps.db)).filter((n) => n.users.some((u) => u.owner_id === run.id));
    expect(rows).toMatchObject([{ state: 'removed', vswitch_name: sw?.name, last_error: null }]);
    expect(rows[0]?.users.every((u) => u.released_at !== null)).toBe(true);
  });

  it('shares one lab network between two verifications on the host; the last one out removes it', async () => {
    const [a, b] = [await verify(), await verify()];
    await expect
      .poll(async () => [(await vmState(client, a.vm))?.power, (await vmState(client, b.vm))?.power], {
        timeout: 30_000,
        interval: 50,
      })
      .toEqual(['poweredOn', 'poweredOn']);
    expect((await labSwitches(client)).length).toBe(1);

    const logs = [(await finished(a.id)).detailed_log, (await finished(b.id)).detailed_log] as string[];
    expect(logs.filter((l) => l.includes('Réseau de test isolé créé'))).toHaveLength(1);
    expect(logs.filter((l) => l.includes('partagé avec les autres VM de test'))).toHaveLength(1);
    expect(logs.filter((l) => l.includes('encore utilisé par 1 autre(s) VM de test'))).toHaveLength(1);
    expect(logs.filter((l) => l.includes('Réseau de test supprimé de esx'))).toHaveLength(1);
    expect(await labSwitches(client)).toEqual([]);
    expect(await listPortgroups(client)).not.toContain(ISOLATED);
    // one ledger row served both: each verification joined it and left it
    const shared = (await ledger(t.deps.db)).filter((n) => n.users.some((u) => u.owner_id === a.id));
    expect(shared).toHaveLength(1);
    expect(shared[0]?.state).toBe('removed');
    expect(shared[0]?.users.map((u) => u.owner_id).sort()).toEqual([a.id, b.id].sort());
    expect(shared[0]?.users.every((u) => u.released_at !== null)).toBe(true);
  });

  it('refuses the default portgroup when it exists on a switch with an uplink, and leaves it', async () => {
    await addPortgroup(client, { name: ISOLATED });
    try {
      const run = await verify();
      const done = await finished(run.id);
      expect(done).toMatchObject({
        status: 'failed',
        vm_restored: false,
        error_code: 'lab_network_not_isolated',
      });
      expect(done.error_message).toContain(
        `Le portgroup « ${ISOLATED} » (le réseau de test par défaut) existe sur esx, mais son vSwitch « vSwitch0 » est relié au réseau physique (vmnic0)`,
      );
      expect(await vmState(client, run.vm)).toBeNull();
      expect((await switchOf(client, ISOLATED))?.name).toBe('vSwitch0');
      expect(await labSwitches(client)).toEqual([]);
    } finally {
      await removePortgroup(client, ISOLATED);
    }
  });

  it('uses a portgroup with an uplink the admin chose, with a warning, and leaves it', async () => {
    await addPortgroup(client, { name: 'Admin LAN' });
    try {
      const run = await verify({ test_network: 'Admin LAN' });
      expect((await whenPoweredOn(client, run.vm)).networks).toEqual(['Admin LAN']);
      const done = await finished(run.id);
      expect(done.status).toBe('passed');
      expect(done.detailed_log).toContain(
        'Attention : le portgroup « Admin LAN », choisi explicitement, est sur le vSwitch « vSwitch0 » relié au réseau physique (vmnic0) : les VM de test ne sont pas isolées',
      );
      expect((await switchOf(client, 'Admin LAN'))?.name).toBe('vSwitch0');
      expect(await labSwitches(client)).toEqual([]);
    } finally {
      await removePortgroup(client, 'Admin LAN');
    }
  });

  it('uses an isolated portgroup the admin made as it is and never removes it', async () => {
    await addVirtualSwitch(client, { name: 'vSwitchLab' });
    await addPortgroup(client, { name: ISOLATED, vswitch: 'vSwitchLab', vlanId: 999 });
    try {
      const run = await verify();
      expect((await whenPoweredOn(client, run.vm)).networks).toEqual([ISOLATED]);
      const done = await finished(run.id);
      expect(done.status).toBe('passed');
      expect(done.detailed_log).toContain(
        `Portgroup existant « ${ISOLATED} » utilisé (vSwitch « vSwitchLab »`,
      );
      expect(await switchOf(client, ISOLATED)).toMatchObject({ name: 'vSwitchLab', portgroups: [ISOLATED] });
      expect((await ledger(t.deps.db)).filter((n) => n.removed_at === null)).toEqual([]);
    } finally {
      await removePortgroup(client, ISOLATED);
      await removeVirtualSwitch(client, 'vSwitchLab');
    }
    expect((await listVirtualSwitches(client)).map((v) => v.name)).toEqual(['vSwitch0']);
  });
});
