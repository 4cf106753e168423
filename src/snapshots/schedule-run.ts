/**
 * @module snapshots/schedule-run: what a schedule's run does around its snapshot: before, settle its record
 * with the host's tree (snapshots deleted by hand dropped quietly, an interrupted run's snapshot confirmed or
 * dropped); after, remove its own snapshots beyond `keep_last`, oldest first, by MoRef, never another one.
 */
import type { VirtualMachineRow } from '../db/inventory.js';
import { dropRecords, scheduleRecords } from '../db/snapshot-records.js';
import type { AppDeps } from '../deps.js';
import { msg } from '../i18n/message.js';
import type { JobContext } from '../jobs/types.js';
import { removeSnapshot, snapshotRef, toVSphereError, type VSphereClient } from '../vsphere/index.js';
import { readVmSnapshots } from './host.js';
import { dropVanished, ownSnapshots, settleAsked } from './records.js';

type Deps = Pick<AppDeps, 'db' | 'config' | 'credentials'>;

/** Settles schedule `scheduleId`'s record against the VM's tree (see the module doc). */
export async function settleSchedule(
  deps: Deps,
  client: VSphereClient,
  vm: VirtualMachineRow,
  scheduleId: number,
) {
  const tree = await readVmSnapshots(deps, client, vm);
  await dropVanished(deps, vm.id, tree);
  await settleAsked(deps, await scheduleRecords(deps.db, scheduleId), tree);
}

/**
 * Removes the schedule's own snapshots beyond the `keep` newest (RemoveSnapshot_Task, children kept, disks
 * consolidated). A snapshot already gone is dropped from the record.
 * @returns how many were removed.
 * @throws VSphereError when the host refuses a removal.
 */
export async function pruneSchedule(
  ctx: Pick<JobContext, 'deps' | 'report'>,
  client: VSphereClient,
  vm: VirtualMachineRow,
  scheduleId: number,
  keep: number,
): Promise<number> {
  const tree = await readVmSnapshots(ctx.deps, client, vm);
  const extra = (await ownSnapshots(ctx.deps, scheduleId, tree)).slice(Math.max(1, keep));
  if (extra.length) ctx.report({ step: msg('snapshots.step.pruning', { keep }), progress: 90 });
  for (const { record, node } of extra.reverse()) {
    try {
      await removeSnapshot(client, snapshotRef(node.moref));
    } catch (err) {
      if (toVSphereError(err).code !== 'ManagedObjectNotFound') throw err;
    }
    await dropRecords(ctx.deps.db, [record.id]);
  }
  return extra.length;
}
