/**
 * @module snapshots/remove-job: the `snapshot_remove` job: RemoveSnapshot_Task with removeChildren false and
 * consolidate true (its children are kept, its delta merged into its parent). Not cancellable: the host
 * cannot cancel a consolidation. A snapshot already gone counts as removed. After a crash the tree is read
 * again (a schedule's record of it dropped if it is gone).
 */
import { msg } from '../i18n/message.js';
import type { JobContext, JobTypeDefinition } from '../jobs/types.js';
import { removeSnapshot, snapshotRef, toVSphereError } from '../vsphere/index.js';
import { vmTarget, withHost } from './host.js';
import { refreshAfterCrash, refreshVm, type SnapshotPayload } from './revert-job.js';

async function handler(ctx: JobContext): Promise<void> {
  const p = ctx.job.payload as unknown as SnapshotPayload;
  const { vm, server } = await vmTarget(ctx.deps, p.virtual_machine_id);
  await withHost(ctx.deps, server, async (client) => {
    ctx.report({ step: msg('snapshots.step.removing', { name: p.snapshot_name }), progress: 5 });
    try {
      await removeSnapshot(client, snapshotRef(p.snapshot_moref), {
        onProgress: (percent) => ctx.report({ progress: 5 + Math.round(percent * 0.9) }),
      });
    } catch (err) {
      if (toVSphereError(err).code !== 'ManagedObjectNotFound') throw err;
    }
    await refreshVm(ctx.deps, client, vm);
  });
  ctx.report({ step: msg('snapshots.step.done'), progress: 100 });
}

export const snapshotRemoveJob: JobTypeDefinition = {
  handler,
  cleanupInterrupted: refreshAfterCrash,
  cancellable: false,
};
