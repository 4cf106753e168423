/**
 * @module backup/cbt-plan: how each virtual disk of a VM is read by a backup, from what the host says of the
 * disk at the backup's snapshot (UUID, change id, capacity) and what the VM's previous restore point in the
 * repository recorded (README "Incremental backups"). `incremental`: only the areas changed since the
 * previous restore point's change id, every other chunk taken from it. `allocated`: only the areas in use
 * (change id `*`), the rest zeros. `full`: every byte. CBT is never trusted blindly: anything that makes the
 * previous restore point or the frozen extent unfit gives a full read and a reason.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isCorruptIndex } from '../db/backups.js';
import type { Db } from '../db/client.js';
import type { Repository } from '../repository/config.js';
import { isRepositoryError } from '../repository/errors.js';
import { type Index, type IndexDisk, type IndexFile, vmIndexDir } from '../repository/format.js';
import { isFsError } from '../repository/parallel.js';
import { readIndex } from '../repository/reader.js';
import type { SnapshotDisk } from '../vsphere/index.js';
import type { VmLayout } from '../vsphere/vm-files.js';
import type { SourceFile } from './file-selection.js';

/** Why a disk of a VM with CBT asked was read in full (`vm_backups.cbt_fallback_reason`, `cbt.reason.*`). */
export const CBT_FALLBACK_REASONS = [
  'cbt_not_active',
  'no_previous_restore_point',
  'change_id_refused',
  'disk_changed',
  'other_snapshots',
  'no_range_support',
  'active_full',
] as const;
export type FallbackReason = (typeof CBT_FALLBACK_REASONS)[number];

/** How a disk's data is read. */
export type ReadKind = 'full' | 'allocated' | 'incremental';

/** One disk's plan. */
export interface DiskPlan {
  disk: SnapshotDisk;
  /** The disk's data file (its only link's extent at the snapshot), null when the chain has several links. */
  extent: SourceFile | null;
  read: ReadKind;
  reason: FallbackReason | null;
  /** For `incremental`: the previous restore point's file, the disk's change id then, its incremental count. */
  previous: { file: IndexFile; changeId: string; incrementals: number } | null;
}

/**
 * The newest restore point of the VM (same MoRef) in `repo` fit to build on: readable, not found corrupt by a
 * verify. @returns null when there is none. @throws fs errors listing the repository.
 */
export async function previousRestorePoint(
  db: Db,
  repo: Repository,
  vm: { name: string; moref: string },
): Promise<Index | null> {
  const dir = vmIndexDir(repo.dir, vm.name);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (isFsError(err, 'ENOENT')) return null;
    throw err;
  }
  for (const name of names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .reverse()) {
    const indexPath = path.join(dir, name);
    try {
      const index = await readIndex(repo, indexPath);
      if (index.vm.moref === vm.moref && !(await isCorruptIndex(db, indexPath))) return index;
    } catch (err) {
      if (!isRepositoryError(err, 'index_corrupt')) throw err;
    }
  }
  return null;
}

/** The data file of a disk at the snapshot: its chain's only link's extent, or null. */
function extentOf(layout: VmLayout, snapshot: string, key: number, files: SourceFile[]): SourceFile | null {
  const chain = layout.snapshotDisks.get(snapshot)?.find((d) => d.key === key)?.chain;
  const link = chain?.length === 1 ? chain[0] : undefined;
  const extent = layout.files.find((f) => link?.includes(f.key) && f.type === 'diskExtent');
  return extent ? (files.find((f) => f.name === extent.name) ?? null) : null;
}

/**
 * Plans the read of every disk of the snapshot (see the module header for the rules, in order).
 * @param opts.activeFullEvery after that many incremental reads of a disk, read it in full (0: never).
 */
export function planDisks(opts: {
  layout: VmLayout;
  snapshot: string;
  disks: SnapshotDisk[];
  files: SourceFile[];
  previous: Index | null;
  activeFullEvery: number;
}): DiskPlan[] {
  return opts.disks.map((disk): DiskPlan => {
    const extent = extentOf(opts.layout, opts.snapshot, disk.key, opts.files);
    const plan = (read: ReadKind, reason: FallbackReason | null): DiskPlan => ({
      disk,
      extent,
      read,
      reason,
      previous: null,
    });
    if (!disk.changeId) return plan('full', opts.layout.changeTrackingEnabled ? 'cbt_not_active' : null);
    if (!extent) return plan('full', 'other_snapshots');
    if (extent.expectedBytes !== disk.capacityBytes) return plan('full', 'disk_changed');
    const before: IndexDisk | undefined = opts.previous?.vm.disks.find((d) => d.key === disk.key);
    const file = opts.previous?.files.find((f) => f.name === extent.fileName);
    if (!before?.change_id || before.extent !== extent.fileName || !file) {
      return plan('allocated', 'no_previous_restore_point');
    }
    if (
      before.uuid !== disk.uuid ||
      before.capacity_bytes !== disk.capacityBytes ||
      file.size !== disk.capacityBytes
    )
      return plan('full', 'disk_changed');
    const incrementals = before.incrementals ?? 0;
    if (opts.activeFullEvery > 0 && incrementals >= opts.activeFullEvery) return plan('full', 'active_full');
    return { ...plan('incremental', null), previous: { file, changeId: before.change_id, incrementals } };
  });
}
