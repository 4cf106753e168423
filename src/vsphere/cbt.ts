/**
 * @module vsphere/cbt — Changed Block Tracking: turning it on and off, each disk's identity and change id at a
 * snapshot, and the changed (or, with change id `*`, in-use) areas of a disk between a change id and a snapshot.
 * Reference: vSphere API "VirtualMachine.QueryChangedDiskAreas", "DiskChangeInfo", "DiskChangeExtent",
 * "VirtualMachineConfigSpec.changeTrackingEnabled", "VirtualDiskFlatVer2BackingInfo" (uuid, changeId).
 */
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { VSphereError } from './errors.js';
import { asArray, asNumber, asRecord, asString, type MoRef } from './normalize.js';
import { retrieveOne } from './property-collector.js';
import { runTask, type WaitForTaskOptions } from './tasks.js';

/** One virtual disk as a snapshot froze it. */
export interface SnapshotDisk {
  /** VirtualDevice.key, the `deviceKey` of QueryChangedDiskAreas. */
  key: number;
  label: string;
  /** Datastore path of the disk's descriptor at the snapshot (`[ds] vm/disk1.vmdk`: the frozen link). */
  fileName: string;
  /** Disk UUID (backing.uuid), empty when the host reports none. */
  uuid: string;
  /** Change id of the disk at the snapshot (backing.changeId), null when change tracking was not in force. */
  changeId: string | null;
  capacityBytes: number;
}

/** One changed area of a disk: byte offset and length. */
export interface DiskArea {
  start: number;
  length: number;
}

/**
 * Asks the host to track (or stop tracking) the VM's changed blocks (VirtualMachine.ReconfigVM_Task with
 * `changeTrackingEnabled`). The host applies it at the VM's next stun/unstun cycle (power on, snapshot create or
 * remove): the next backup's snapshot starts tracking, and that backup still reads the disks in full.
 * @throws VSphereError (`TaskFailed` with the host's fault, e.g. when the VM's snapshots or version forbid it,
 *   `RestrictedVersion` on a free licence, `ManagedObjectNotFound`).
 */
export async function setChangeTracking(
  client: VSphereClient,
  vm: MoRef,
  enabled: boolean,
  wait: WaitForTaskOptions = {},
): Promise<void> {
  await runTask(client, 'ReconfigVM_Task', { _this: vm, spec: { changeTrackingEnabled: enabled } }, wait);
}

/**
 * Reads the virtual disks of a snapshot's configuration (VirtualMachineSnapshot.config.hardware.device): the
 * disks as the snapshot froze them, with their UUID, change id and capacity.
 * @returns the disks in device order. @throws VSphereError `ManagedObjectNotFound` when the snapshot is gone.
 */
export async function readSnapshotDisks(client: VSphereClient, snapshot: MoRef): Promise<SnapshotDisk[]> {
  const props = await retrieveOne(client, snapshot, ['config.hardware.device']);
  return asArray(props['config.hardware.device'])
    .map(asRecord)
    .filter((d) => d._type === 'VirtualDisk')
    .map((d) => {
      const backing = asRecord(d.backing);
      const changeId = asString(backing.changeId);
      return {
        key: asNumber(d.key) ?? 0,
        label: asString(asRecord(d.deviceInfo).label),
        fileName: asString(backing.fileName),
        uuid: asString(backing.uuid),
        changeId: changeId === '' ? null : changeId,
        capacityBytes: asNumber(d.capacityInBytes) ?? (asNumber(d.capacityInKB) ?? 0) * 1024,
      };
    });
}

/** What {@link queryChangedDiskAreas} asks. */
export interface ChangedAreasQuery {
  vm: MoRef;
  snapshot: MoRef;
  deviceKey: number;
  /** The disk's change id at an earlier snapshot, or `*` for the areas in use. */
  changeId: string;
  /** The disk's capacity at `snapshot` (bytes): the query loops until it is covered. */
  capacityBytes: number;
  signal?: AbortSignal;
}

/**
 * One call of VirtualMachine.QueryChangedDiskAreas: the host describes the part of the disk from `startOffset`
 * it chose to cover (`startOffset`, `length`) and the changed areas in it.
 * @throws VSphereError `Fault` with `faultType` `InvalidArgument` (a refused change id, device key or offset),
 *   `NotFound` (snapshot gone), `FileFault`.
 */
export async function queryDiskChangePart(
  client: VSphereClient,
  query: Omit<ChangedAreasQuery, 'capacityBytes' | 'signal'>,
  startOffset: number,
): Promise<{ startOffset: number; length: number; areas: DiskArea[] }> {
  const info = asRecord(
    await client.call('QueryChangedDiskAreas', {
      _this: query.vm,
      snapshot: query.snapshot,
      deviceKey: query.deviceKey,
      startOffset,
      changeId: query.changeId,
    }),
  );
  return {
    startOffset: asNumber(info.startOffset) ?? startOffset,
    length: asNumber(info.length) ?? 0,
    areas: asArray(info.changedArea).map((raw) => {
      const a = asRecord(raw);
      return { start: asNumber(a.start) ?? 0, length: asNumber(a.length) ?? 0 };
    }),
  };
}

/**
 * Every changed area of a disk between `changeId` and `snapshot` (VirtualMachine.QueryChangedDiskAreas, called
 * again from the end of each answer until the disk's capacity is covered, as the reference says callers must).
 * @returns the areas in disk order, adjacent ones merged, clipped to the capacity.
 * @throws VSphereError from {@link queryDiskChangePart}; `Fault` when an answer does not move forward; the
 *   signal's reason when aborted.
 */
export async function queryChangedDiskAreas(
  client: VSphereClient,
  query: ChangedAreasQuery,
): Promise<DiskArea[]> {
  const out: DiskArea[] = [];
  for (let offset = 0; offset < query.capacityBytes; ) {
    query.signal?.throwIfAborted();
    const part = await queryDiskChangePart(client, query, offset);
    const next = part.startOffset + part.length;
    if (part.length <= 0 || next <= offset) {
      throw new VSphereError('Fault', msg('vsphere.cbt_no_progress', { offset, disk: query.deviceKey }));
    }
    for (const area of part.areas) {
      const end = Math.min(area.start + area.length, query.capacityBytes);
      if (end <= area.start) continue;
      const last = out.at(-1);
      if (last && last.start + last.length >= area.start) {
        last.length = Math.max(last.length, end - last.start);
      } else out.push({ start: area.start, length: end - area.start });
    }
    offset = next;
  }
  return out;
}
