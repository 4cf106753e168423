/**
 * @module snapshots/revert-job: the `snapshot_revert` job: RevertToSnapshot_Task. The VM takes the snapshot's
 * power state (a running VM reverted to a snapshot taken without memory ends powered off), which is recorded
 * on the VM row. Not cancellable: the host cannot cancel a revert. After a crash the tree and power state are
 * read again.
 */

import type { VirtualMachineRow } from '../db/inventory.js';
import { setVmPowerState } from '../db/snapshot-records.js';
import type { AppDeps } from '../deps.js';
import { msg } from '../i18n/message.js';
import type { JobContext, JobRow, JobTypeDefinition } from '../jobs/types.js';
import {
  asString,
  retrieveOne,
  revertToSnapshot,
  snapshotRef,
  type VSphereClient,
  vmRef,
} from '../vsphere/index.js';
import { readVmSnapshots, vmTarget, withHost } from './host.js';
import { dropVanished } from './records.js';

/** What a `snapshot_revert` or `snapshot_remove` job is asked. */
export interface SnapshotPayload {
  virtual_machine_id: number;
  snapshot_moref: string;
  snapshot_name: string;
}

/** Stores the VM's tree and power state as its host reports them now. */
export async function refreshVm(deps: AppDeps, client: VSphereClient, vm: VirtualMachineRow): Promise<void> {
  const tree = await readVmSnapshots(deps, client, vm);
  await dropVanished(deps, vm.id, tree);
  const power = asString(
    (await retrieveOne(client, vmRef(vm.moref), ['runtime.powerState']))['runtime.powerState'],
  );
  if (power) await setVmPowerState(deps.db, vm.id, power);
}

async function handler(ctx: JobContext): Promise<void> {
  const p = ctx.job.payload as unknown as SnapshotPayload;
  const { vm, server } = await vmTarget(ctx.deps, p.virtual_machine_id);
  await withHost(ctx.deps, server, async (client) => {
    ctx.report({ step: msg('snapshots.step.reverting', { name: p.snapshot_name }), progress: 5 });
    await revertToSnapshot(client, snapshotRef(p.snapshot_moref), {
      onProgress: (percent) => ctx.report({ progress: 5 + Math.round(percent * 0.9) }),
    });
    await refreshVm(ctx.deps, client, vm);
  });
  ctx.report({ step: msg('snapshots.step.done'), progress: 100 });
}

/** After a crash: the revert may or may not have happened; the VM's tree and power state say. */
export async function refreshAfterCrash(job: JobRow, deps: AppDeps): Promise<void> {
  const p = job.payload as unknown as SnapshotPayload;
  const { vm, server } = await vmTarget(deps, p.virtual_machine_id);
  await withHost(deps, server, (client) => refreshVm(deps, client, vm));
}

export const snapshotRevertJob: JobTypeDefinition = {
  handler,
  cleanupInterrupted: refreshAfterCrash,
  cancellable: false,
};
