/** @module vsphere/vm-files — a VM's file layout (layoutEx) and configuration summary, as a backup needs them. */
import type { VSphereClient } from './client.js';
import { asArray, asBool, asMoRef, asNumber, asRecord, asString, type MoRef } from './normalize.js';
import { retrieveOne } from './property-collector.js';

/** One file of a VM (VirtualMachineFileLayoutExFileInfo), its name resolved to `[ds] dir/file`. */
export interface VmLayoutFile {
  key: number;
  /** Datastore path, e.g. `[LocalDS_0] vm1/disk1-flat.vmdk`. */
  name: string;
  /** layoutEx type: `config`, `nvram`, `diskDescriptor`, `diskExtent`, `log`, `snapshotData`, ... */
  type: string;
  /** Bytes, as the host reports them (thin disks: allocated size). */
  size: number;
}

/** One virtual disk with the file keys of each link of its chain, base first (VirtualMachineFileLayoutExDiskLayout). */
export interface VmLayoutDisk {
  key: number;
  chain: number[][];
}

/** What {@link readVmLayout} returns. */
export interface VmLayout {
  name: string;
  /** `[ds] dir/name.vmx`. */
  vmxPath: string;
  guestId: string;
  guestFullName: string;
  numCpu: number;
  memoryMb: number;
  /** config.changeTrackingEnabled: CBT asked for the VM. */
  changeTrackingEnabled: boolean;
  files: VmLayoutFile[];
  disks: VmLayoutDisk[];
  /** Per snapshot MoRef value: its disks' chains at the time of the snapshot. */
  snapshotDisks: Map<string, VmLayoutDisk[]>;
  /** Virtual disks (device key, label, capacity in bytes, backing file). */
  devices: Array<{ key: number; label: string; capacityBytes: number; fileName: string }>;
}

const num = (v: unknown) => asNumber(v) ?? 0;

function toDisks(raw: unknown): VmLayoutDisk[] {
  return asArray(raw).map((d) => {
    const disk = asRecord(d);
    return {
      key: num(disk.key),
      chain: asArray(disk.chain).map((unit) => asArray(asRecord(unit).fileKey).map(num)),
    };
  });
}

/**
 * Resolves a layoutEx name to `[ds] dir/file`: the govmomi simulator also lists a VM's files without their
 * folder (`[ds] file`); those are taken as relative to the .vmx's folder. Duplicates are dropped by the caller.
 */
export function resolveLayoutName(name: string, vmxPath: string): string {
  const m = /^\[([^\]]+)\]\s*(.*)$/.exec(name);
  if (!m || (m[2] ?? '').includes('/')) return name;
  const dir = /^\[[^\]]+\]\s*(.*)\/[^/]*$/.exec(vmxPath)?.[1];
  return dir ? `[${m[1]}] ${dir}/${m[2]}` : name;
}

/**
 * Reads a VM's name, configuration summary, file layout and disk chains in one RetrievePropertiesEx.
 * @returns the layout; file sizes in bytes, memory in MiB. Files are deduplicated by resolved name.
 * @throws VSphereError `ManagedObjectNotFound` when the VM is gone.
 * Reference: vSphere API "VirtualMachine.layoutEx" (VirtualMachineFileLayoutEx), "VirtualMachineConfigInfo".
 */
export async function readVmLayout(client: VSphereClient, vm: MoRef): Promise<VmLayout> {
  const p = await retrieveOne(client, vm, [
    'name',
    'config.files.vmPathName',
    'config.guestId',
    'config.guestFullName',
    'config.hardware.numCPU',
    'config.hardware.memoryMB',
    'config.changeTrackingEnabled',
    'config.hardware.device',
    'layoutEx',
  ]);
  const vmxPath = asString(p['config.files.vmPathName']);
  const layout = asRecord(p.layoutEx);
  const files = new Map<string, VmLayoutFile>();
  const keyAlias = new Map<number, number>();
  for (const raw of asArray(layout.file)) {
    const f = asRecord(raw);
    const name = resolveLayoutName(asString(f.name), vmxPath);
    const file = { key: num(f.key), name, type: asString(f.type), size: num(f.size) };
    const seen = files.get(name);
    if (seen) {
      keyAlias.set(file.key, seen.key);
      seen.size = Math.max(seen.size, file.size);
    } else files.set(name, file);
  }
  const alias = (disks: VmLayoutDisk[]) =>
    disks.map((d) => ({ ...d, chain: d.chain.map((u) => u.map((k) => keyAlias.get(k) ?? k)) }));
  const snapshotDisks = new Map<string, VmLayoutDisk[]>();
  for (const raw of asArray(layout.snapshot)) {
    const s = asRecord(raw);
    const ref = asMoRef(s.key);
    if (ref) snapshotDisks.set(ref.value, alias(toDisks(s.disk)));
  }
  const devices = asArray(p['config.hardware.device'])
    .map(asRecord)
    .filter((d) => d._type === 'VirtualDisk')
    .map((d) => ({
      key: num(d.key),
      label: asString(asRecord(d.deviceInfo).label),
      capacityBytes: asNumber(d.capacityInBytes) ?? num(d.capacityInKB) * 1024,
      fileName: asString(asRecord(d.backing).fileName),
    }));
  return {
    name: asString(p.name),
    vmxPath,
    guestId: asString(p['config.guestId']),
    guestFullName: asString(p['config.guestFullName']),
    numCpu: num(p['config.hardware.numCPU']),
    memoryMb: num(p['config.hardware.memoryMB']),
    changeTrackingEnabled: asBool(p['config.changeTrackingEnabled']) ?? false,
    files: [...files.values()],
    disks: alias(toDisks(layout.disk)),
    snapshotDisks,
    devices,
  };
}
