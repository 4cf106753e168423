/** @module test/surebackup/network: portgroups, NIC reconnection and guest state against the simulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolateVmxNetworks } from '../../src/backup/restore-upload.js';
import {
  addPortgroup,
  connectNicsToPortgroup,
  listPortgroups,
  readGuestState,
  reconfigVm,
  retrieveAll,
  VSphereClient,
  vmNicNetworks,
} from '../../src/vsphere/index.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

describe('vSphere network helpers', () => {
  let esx: Simulator;
  let client: VSphereClient;

  beforeAll(async () => {
    esx = await startSimulator({ tls: false });
    client = await VSphereClient.connect({ ...esx, thumbprint: null });
  });
  afterAll(async () => {
    await client?.logout();
    await esx?.stop();
  });

  const vm0 = async () => {
    const vms = await retrieveAll(client, 'VirtualMachine', ['name']);
    const found = vms.find((v) => v.props.name === esx.vms[0]);
    if (!found) throw new Error('no VM0');
    return found.ref;
  };

  it('lists portgroups, adds one, and moves every NIC of a VM onto it', async () => {
    expect(await listPortgroups(client)).toContain('VM Network');
    await addPortgroup(client, { name: 'VM Network Isolated', vlanId: 999 });
    expect(await listPortgroups(client)).toContain('VM Network Isolated');
    const vm = await vm0();
    expect((await vmNicNetworks(client, vm)).map((n) => n.network)).toEqual(['VM Network']);
    expect(await connectNicsToPortgroup(client, vm, 'VM Network Isolated')).toBe(1);
    expect((await vmNicNetworks(client, vm)).map((n) => n.network)).toEqual(['VM Network Isolated']);
    await expect(connectNicsToPortgroup(client, vm, 'No Such Network')).rejects.toMatchObject({
      detail: { key: 'vsphere.portgroup_missing', params: { portgroup: 'No Such Network' } },
    });
  });

  it('reads the guest state, with an IP set through extraConfig', async () => {
    const vm = await vm0();
    await reconfigVm(client, vm, { extraConfig: [{ key: 'SET.guest.ipAddress', value: '127.0.0.1' }] });
    const state = await readGuestState(client, vm);
    expect(state).toMatchObject({ powerState: 'poweredOn', ipAddress: '127.0.0.1' });
  });
});

describe('isolateVmxNetworks', () => {
  it('points every adapter of a .vmx at the test network and drops distributed switch bindings', () => {
    const vmx = [
      'ethernet0.present = "TRUE"',
      'ethernet0.networkName = "VM Network"',
      'ethernet1.dvs.portId = "12"',
      'ethernet1.networkName = "Prod"',
      'displayName = "web"',
    ].join('\n');
    expect(isolateVmxNetworks(vmx, 'VM Network Isolated').split('\n')).toEqual([
      'ethernet0.present = "TRUE"',
      'ethernet0.networkName = "VM Network Isolated"',
      'ethernet1.networkName = "VM Network Isolated"',
      'displayName = "web"',
    ]);
  });
});
