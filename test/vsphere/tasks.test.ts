import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asArray,
  asBool,
  asMoRef,
  createSnapshot,
  destroyVm,
  fetchInventory,
  powerOff,
  powerOn,
  reconfigVm,
  registerVm,
  removeSnapshot,
  retrieveAll,
  retrieveOne,
  runTask,
  unregisterVm,
  VSphereClient,
  VSphereError,
  vmRef,
  waitForTask,
} from '../../src/vsphere/index.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

describe('tasks and VM operations', () => {
  let sim: Simulator;
  let client: VSphereClient;

  beforeAll(async () => {
    sim = await startSimulator({ tls: false, vms: 4 });
    client = await VSphereClient.connect({ ...sim, thumbprint: null });
  });
  afterAll(async () => {
    await client?.logout();
    await sim?.stop();
  });

  const vmByName = async (name: string) => {
    const vm = (await fetchInventory(client)).vms.find((v) => v.name === name);
    if (!vm) throw new Error(`no VM ${name}`);
    return vm;
  };

  it('creates a snapshot with a task, sees it in the inventory, removes it', async () => {
    const vm = await vmByName('ha-host_VM0');
    const progress: number[] = [];
    const task = await client.call('CreateSnapshot_Task', {
      _this: vmRef(vm.moref),
      name: 'backup-1',
      description: 'made by a test',
      memory: false,
      quiesce: false,
    });
    const snap = await waitForTask(client, task as { type: string; value: string }, {
      onProgress: (p) => progress.push(p),
      timeoutMs: 30_000,
    });
    expect(snap).toMatchObject({ type: 'VirtualMachineSnapshot' });
    expect(progress.at(-1)).toBe(100);

    const child = await createSnapshot(client, vmRef(vm.moref), { name: 'backup-2' });
    const snapshots = (await vmByName('ha-host_VM0')).snapshots;
    expect(snapshots).toHaveLength(2);
    const first = snapshots.find((s) => s.name === 'backup-1');
    expect(first).toMatchObject({
      moref: (snap as { value: string }).value,
      description: 'made by a test',
      parent: null,
    });
    expect(Date.now() - Date.parse(first?.created_at ?? '')).toBeLessThan(60_000);
    expect(snapshots.find((s) => s.name === 'backup-2')).toMatchObject({
      moref: child.value,
      parent: first?.moref,
    });

    await runTask(client, 'RemoveSnapshot_Task', { _this: child, removeChildren: false });
    await removeSnapshot(client, snap as { type: string; value: string });
    expect((await vmByName('ha-host_VM0')).snapshots).toEqual([]);
  });

  it('maps PowerOff of a powered-off VM to InvalidPowerState', async () => {
    const vm = await vmByName('ha-host_VM1');
    await powerOff(client, vmRef(vm.moref));
    expect((await vmByName('ha-host_VM1')).power_state).toBe('poweredOff');
    const err = await powerOff(client, vmRef(vm.moref)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VSphereError);
    expect((err as VSphereError).code).toBe('InvalidPowerState');
    expect((err as VSphereError).message).toBe('The VM is already poweredOff.');
    await powerOn(client, vmRef(vm.moref));
    expect((await vmByName('ha-host_VM1')).power_state).toBe('poweredOn');
  });

  it('maps a deleted object to ManagedObjectNotFound', async () => {
    const err = await client
      .call('PowerOffVM_Task', { _this: vmRef('vm-does-not-exist') })
      .catch((e: unknown) => e);
    expect((err as VSphereError).code).toBe('ManagedObjectNotFound');
    const err2 = await retrieveOne(client, vmRef('vm-does-not-exist'), ['name']).catch((e: unknown) => e);
    expect((err2 as VSphereError).code).toBe('ManagedObjectNotFound');
  });

  it('maps a synchronous InvalidPowerState fault (UnregisterVM of a running VM)', async () => {
    const vm = await vmByName('ha-host_VM2');
    expect(vm.power_state).toBe('poweredOn');
    const err = await client.call('UnregisterVM', { _this: vmRef(vm.moref) }).catch((e: unknown) => e);
    expect((err as VSphereError).code).toBe('InvalidPowerState');
    expect((err as VSphereError).message).toBe('The VM is poweredOn; this operation needs it poweredOff.');
  });
  it('reconfigures a VM (CBT, annotation, extraConfig)', async () => {
    const vm = await vmByName('ha-host_VM0');
    await reconfigVm(client, vmRef(vm.moref), {
      annotation: 'backed up',
      changeTrackingEnabled: true,
      extraConfig: [{ key: 'ebm.test', value: 'yes' }],
    });
    const props = await retrieveOne(client, vmRef(vm.moref), [
      'config.annotation',
      'config.changeTrackingEnabled',
      'config.extraConfig',
    ]);
    expect(props['config.annotation']).toBe('backed up');
    expect(asBool(props['config.changeTrackingEnabled'])).toBe(true);
    expect(asArray(props['config.extraConfig'])).toContainEqual({
      _type: 'OptionValue',
      key: 'ebm.test',
      value: 'yes',
    });
  });

  it('unregisters a powered-off VM and registers its .vmx again', async () => {
    const vm = await vmByName('ha-host_VM3');
    await powerOff(client, vmRef(vm.moref));
    await unregisterVm(client, vmRef(vm.moref));
    expect((await fetchInventory(client)).vms.map((v) => v.name)).not.toContain('ha-host_VM3');

    const [dc] = await retrieveAll(client, 'Datacenter', ['vmFolder']);
    const [cr] = await retrieveAll(client, 'ComputeResource', ['resourcePool', 'host']);
    const folder = asMoRef(dc?.props.vmFolder);
    const pool = asMoRef(cr?.props.resourcePool);
    if (!folder || !pool) throw new Error('no vmFolder / resourcePool');
    const ref = await registerVm(client, { folder, pool, vmxPath: vm.vmx_path, name: vm.name });
    expect(ref.type).toBe('VirtualMachine');
    const restored = await vmByName('ha-host_VM3');
    expect(restored).toMatchObject({ moref: ref.value, vmx_path: vm.vmx_path, power_state: 'poweredOff' });
    await destroyVm(client, ref);
    expect((await fetchInventory(client)).vms.map((v) => v.name)).not.toContain('ha-host_VM3');
  });
});

describe('free ESXi licence', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ tls: false, freeLicense: true });
  });
  afterAll(() => sim?.stop());

  it('reads the inventory but reports snapshot creation as RestrictedVersion, in plain words', async () => {
    const client = await VSphereClient.connect({ ...sim, thumbprint: null });
    const inv = await fetchInventory(client);
    expect(inv.vms).toHaveLength(2);
    const err = await createSnapshot(client, vmRef(inv.vms[0]?.moref ?? ''), { name: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(VSphereError);
    expect((err as VSphereError).code).toBe('RestrictedVersion');
    expect((err as VSphereError).message).toMatch(/free licence/);
    await client.logout();
  });
});
