/**
 * @module backup/cbt-outcome: what a backup's disk reads amount to: the disks as the restore point's index
 * records them (UUID, change id, how each was read: what the next backup builds on), and the backup's
 * `mode`, `changed_bytes` and `cbt_fallback_reason` (`vm_backups`).
 */
import type { IndexDisk } from '../repository/format.js';
import type { DiskPlan, FallbackReason } from './cbt-plan.js';
import type { DiskRead } from './cbt-read.js';

/** The backup's CBT figures. */
export interface CbtOutcome {
  /** `incremental` when a disk was read only where it changed since the previous restore point. */
  mode: 'full' | 'incremental';
  /** Bytes CBT reported for the disks read by it, null when none was. */
  changedBytes: number | null;
  /** The first disk's reason for a full read, null when none fell back. */
  reason: FallbackReason | null;
}

/** How each disk was read in the end: its plan, or what the CBT read did (a fallback changes it). */
function finalReads(plans: DiskPlan[], reads: Map<number, DiskRead>) {
  return plans.map((plan) => {
    const done = reads.get(plan.disk.key);
    return { plan, read: done?.read ?? plan.read, reason: done ? done.reason : plan.reason, done };
  });
}

/**
 * The index's `vm.disks`: each disk at the snapshot with its change id, its data file and how it was read;
 * `incrementals` counts incremental reads since its last full or in-use read.
 */
export function indexDisks(plans: DiskPlan[], reads: Map<number, DiskRead>): IndexDisk[] {
  return finalReads(plans, reads).map(({ plan, read }) => ({
    label: plan.disk.label,
    capacity_bytes: plan.disk.capacityBytes,
    file_name: plan.disk.fileName,
    key: plan.disk.key,
    uuid: plan.disk.uuid,
    change_id: plan.disk.changeId,
    extent: plan.extent?.fileName ?? null,
    read,
    incrementals: read === 'incremental' ? (plan.previous?.incrementals ?? 0) + 1 : 0,
  }));
}

/** The backup's mode, changed bytes and fallback reason. */
export function cbtOutcome(plans: DiskPlan[], reads: Map<number, DiskRead>): CbtOutcome {
  const all = finalReads(plans, reads);
  const reported = all.flatMap(({ done }) => (done?.changedBytes == null ? [] : [done.changedBytes]));
  return {
    mode: all.some((d) => d.read === 'incremental') ? 'incremental' : 'full',
    changedBytes: reported.length ? reported.reduce((a, b) => a + b, 0) : null,
    reason: all.find((d) => d.reason)?.reason ?? null,
  };
}
