/**
 * @module test/lab-network/vswitch: the standard switch functions of src/vsphere/vswitch.ts against the
 * simulator, as the vSphere API reference describes HostNetworkSystem (with what test/simulator adds).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addPortgroup,
  addVirtualSwitch,
  connectNicsToPortgroup,
  listPortgroups,
  listVirtualSwitches,
  powerOff,
  powerOn,
  readHostNetwork,
  removePortgroup,
  removeVirtualSwitch,
  retrieveAll,
  retrieveOne,
  VSphereClient,
  type VSphereError,
  vmNicNetworks,
} from '../../src/vsphere/index.js';
import { networkSystem } from '../../src/vsphere/network.js';
import { findPlacement } from '../../src/vsphere/placement.js';
import { registerVm } from '../../src/vsphere/vm-ops.js';
import { putFile } from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

const faultOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'no fault',
    (err: VSphereError) => err.faultType,
  );

describe('standard virtual switches', () => {
  let esx: Simulator;
  let client: VSphereClient;

  beforeEach(async () => {
    esx = await startSimulator({ tls: false });
    client = await VSphereClient.connect({ ...esx, thumbprint: null });
  });
  afterEach(async () => {
    await client?.logout();
    await esx?.stop();
  });

  const vm0 = async () => {
    const vms = await retrieveAll(client, 'VirtualMachine', ['name']);
    const found = vms.find((v) => v.props.name === esx.vms[0]);
    if (!found) throw new Error('no VM0');
    return found.ref;
  };

  it('lists vSwitch0 with its physical uplink and its portgroups', async () => {
    expect(await listVirtualSwitches(client)).toEqual([
      expect.objectContaining({
        name: 'vSwitch0',
        key: 'key-vim.host.VirtualSwitch-vSwitch0',
        uplinks: ['vmnic0'],
        bridged: true,
        portgroups: ['Management Network', 'VM Network'],
      }),
    ]);
  });

  it('adds a switch without uplink, a portgroup on it that a VM adapter can use, and removes both', async () => {
    await addVirtualSwitch(client, { name: 'ebm-lab-test' });
    await addPortgroup(client, { name: 'Lab', vswitch: 'ebm-lab-test' });
    const { vswitches, portgroups } = await readHostNetwork(client);
    expect(vswitches.find((v) => v.name === 'ebm-lab-test')).toMatchObject({
      key: 'key-vim.host.VirtualSwitch-ebm-lab-test',
      numPorts: 128,
      uplinks: [],
      bridged: false,
      portgroups: ['Lab'],
    });
    expect(portgroups).toContainEqual({
      name: 'Lab',
      key: 'key-vim.host.PortGroup-Lab',
      vswitch: 'ebm-lab-test',
      vlanId: 0,
    });
    // the host's config.network is the same object as the network system's networkInfo
    const [host] = await retrieveAll(client, 'HostSystem', ['config.network']);
    const configNetwork = JSON.stringify(host?.props['config.network']);
    expect(configNetwork).toContain('ebm-lab-test');
    expect(configNetwork).toContain('key-vim.host.PortGroup-Lab');
    expect(await listPortgroups(client)).toContain('Lab');

    const vm = await vm0();
    await powerOff(client, vm);
    expect(await connectNicsToPortgroup(client, vm, 'Lab')).toBe(1);
    expect((await vmNicNetworks(client, vm)).map((n) => n.network)).toEqual(['Lab']);

    await removePortgroup(client, 'Lab');
    await removeVirtualSwitch(client, 'ebm-lab-test');
    expect((await listVirtualSwitches(client)).map((v) => v.name)).toEqual(['vSwitch0']);
    expect(await listPortgroups(client)).not.toContain('Lab');
    const info = await retrieveOne(client, await networkSystem(client), ['networkInfo']);
    expect(JSON.stringify(info)).not.toContain('ebm-lab-test');
  });

  it('answers AlreadyExists, NotFound, InvalidArgument and ResourceInUse where the reference says', async () => {
    expect(await faultOf(addVirtualSwitch(client, { name: 'vSwitch0' }))).toBe('AlreadyExists');
    expect(await faultOf(addVirtualSwitch(client, { name: 'x'.repeat(33) }))).toBe('InvalidArgument');
    expect(await faultOf(addVirtualSwitch(client, { name: 'ebm-up', uplinks: ['vmnic0'] }))).toBe(
      'ResourceInUse',
    );
    expect(await faultOf(removeVirtualSwitch(client, 'no-such-switch'))).toBe('NotFound');
    expect(await faultOf(removePortgroup(client, 'No Such Portgroup'))).toBe('NotFound');
    expect(await faultOf(addPortgroup(client, { name: 'VM Network' }))).toBe('AlreadyExists');
    expect(await faultOf(addPortgroup(client, { name: 'Lab', vswitch: 'no-such-switch' }))).toBe('NotFound');
    // a VMkernel adapter is on the management network; the powered-on VMs are on VM Network
    expect(await faultOf(removePortgroup(client, 'Management Network'))).toBe('ResourceInUse');
    expect(await faultOf(removePortgroup(client, 'VM Network'))).toBe('ResourceInUse');
    expect(await faultOf(removeVirtualSwitch(client, 'vSwitch0'))).toBe('ResourceInUse');

    await addVirtualSwitch(client, { name: 'ebm-up', uplinks: ['vmnic1'] });
    expect((await listVirtualSwitches(client)).find((v) => v.name === 'ebm-up')).toMatchObject({
      uplinks: ['vmnic1'],
      bridged: true,
    });
    await addPortgroup(client, { name: 'Lab', vswitch: 'ebm-up' });
    const vm = await vm0();
    await powerOff(client, vm);
    await connectNicsToPortgroup(client, vm, 'Lab');
    await powerOn(client, vm);
    expect(await faultOf(removePortgroup(client, 'Lab'))).toBe('ResourceInUse');
    expect(await faultOf(removeVirtualSwitch(client, 'ebm-up'))).toBe('ResourceInUse');
  });

  it('registers a VM with the network adapters of its .vmx, as ESXi does', async () => {
    const vmx = [
      'displayName = "copy"',
      'ethernet0.present = "TRUE"',
      'ethernet0.virtualDev = "vmxnet3"',
      'ethernet0.networkName = "VM Network"',
      'ethernet0.address = "00:50:56:00:00:01"',
      'ethernet1.present = "FALSE"',
      'ethernet1.networkName = "VM Network"',
      'ethernet2.present = "TRUE"',
      'ethernet2.networkName = "No Such Network"',
    ].join('\n');
    await putFile(client, esx, 'copy/copy.vmx', vmx);
    // the simulator registers a folder holding the .vmx, the .nvram and vmware.log
    await putFile(client, esx, 'copy/copy.nvram', '');
    await putFile(client, esx, 'copy/vmware.log', '');
    const { vmFolder: folder, pool } = await findPlacement(client);
    const ds = esx.datastores[0]?.name as string;
    const vm = await registerVm(client, {
      folder,
      pool,
      vmxPath: `[${ds}] copy/copy.vmx`,
      name: 'copy',
    });
    expect(await vmNicNetworks(client, vm)).toEqual([{ label: expect.any(String), network: 'VM Network' }]);
    const all = await retrieveAll(client, 'VirtualMachine', ['name', 'config.hardware.device']);
    const devices = all.find((v) => v.props.name === 'copy')?.props['config.hardware.device'];
    const nic = (devices as Array<Record<string, unknown>>).find((d) => d._type === 'VirtualVmxnet3');
    expect(nic).toMatchObject({ macAddress: '00:50:56:00:00:01', addressType: 'manual' });
  });
});
