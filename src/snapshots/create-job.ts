/**
 * @module snapshots/create-job: the `snapshot_create` job: CreateSnapshot_Task on the VM's host, cancellable
 * while the host task runs (CancelTask; a task that ends well anyway keeps its snapshot and the job completes).
 * A schedule's run (`schedule_id` in the payload) records what it asks before asking, then removes its own
 * snapshots beyond `keep_last` (src/snapshots/schedule-run.ts). After a crash the tree is read to settle the
 * record: never a half-known snapshot.
 */
import { mergeJobPayload } from '../db/jobs.js';
import { confirmSnapshot, dropRecords, jobRecords, recordAskedSnapshot } from '../db/snapshot-records.js';
import { setSnapshotScheduleError } from '../db/snapshot-schedules.js';
import type { AppDeps } from '../deps.js';
import { msg } from '../i18n/message.js';
import { storedError } from '../jobs/execute.js';
import { INTERRUPTED_MESSAGE, type JobContext, type JobRow, type JobTypeDefinition } from '../jobs/types.js';
import {
  asString,
  cancelTask,
  type MoRef,
  retrieveOne,
  startCreateSnapshot,
  type VSphereClient,
  vmRef,
  waitForTask,
} from '../vsphere/index.js';
import { asRecord } from '../vsphere/normalize.js';
import { readVmSnapshots, vmTarget, withHost } from './host.js';
import { settleAsked } from './records.js';
import { pruneSchedule, settleSchedule } from './schedule-run.js';

/** What a `snapshot_create` job is asked. */
export interface CreatePayload {
  virtual_machine_id: number;
  name: string;
  description: string;
  memory: boolean;
  quiesce: boolean;
  /** Set for a schedule's run. */
  schedule_id?: number;
  keep_last?: number;
  /** The host task, once started (`Task` MoRef value). */
  task?: string;
}

/** Waits for the create task; on cancel, asks the host to cancel it and learns how it ended. */
async function finish(ctx: JobContext, client: VSphereClient, task: MoRef): Promise<MoRef> {
  const onProgress = (p: number) => ctx.report({ progress: 5 + Math.round(p * 0.8) });
  try {
    return (await waitForTask(client, task, { signal: ctx.signal, onProgress })) as MoRef;
  } catch (err) {
    if (!ctx.signal.aborted) throw err;
    ctx.report({ step: msg('snapshots.step.cancelling') });
    await cancelTask(client, task);
    try {
      const made = (await waitForTask(client, task)) as MoRef;
      ctx.deps.logger.info({ job: ctx.job.id }, 'snapshot cancel came too late: the snapshot was created');
      return made;
    } catch {
      throw ctx.signal.reason;
    }
  }
}

async function handler(ctx: JobContext): Promise<void> {
  const { deps, job } = ctx;
  const p = job.payload as unknown as CreatePayload;
  try {
    const { vm, server } = await vmTarget(deps, p.virtual_machine_id);
    await withHost(deps, server, async (client) => {
      if (p.schedule_id) await settleSchedule(deps, client, vm, p.schedule_id);
      const record = p.schedule_id
        ? await recordAskedSnapshot(deps.db, {
            schedule_id: p.schedule_id,
            vm_moref: vm.moref,
            snapshot_name: p.name,
            job_id: job.id,
          })
        : null;
      ctx.report({ step: msg('snapshots.step.creating', { name: p.name }), progress: 5 });
      const spec = { name: p.name, description: p.description, memory: p.memory, quiesce: p.quiesce };
      let task: MoRef;
      try {
        task = await startCreateSnapshot(client, vmRef(vm.moref), spec);
      } catch (err) {
        if (record) await dropRecords(deps.db, [record.id]);
        throw err;
      }
      await mergeJobPayload(deps.db, job.id, { task: task.value });
      const made = await finish(ctx, client, task).catch(async (err: unknown) => {
        if (record) await dropRecords(deps.db, [record.id]);
        throw err;
      });
      if (record) await confirmSnapshot(deps.db, record.id, made.value);
      if (p.schedule_id) await pruneSchedule(ctx, client, vm, p.schedule_id, p.keep_last ?? 1);
      await readVmSnapshots(deps, client, vm);
    });
    if (p.schedule_id) await setSnapshotScheduleError(deps.db, p.schedule_id, null);
    ctx.report({ step: msg('snapshots.step.done'), progress: 100 });
  } catch (err) {
    if (p.schedule_id && !ctx.signal.aborted)
      await setSnapshotScheduleError(deps.db, p.schedule_id, storedError(err));
    throw err;
  }
}

/** Whether the host task of an interrupted job may still be running (queued or running). */
async function taskRunning(client: VSphereClient, job: JobRow): Promise<boolean> {
  const task = (job.payload as unknown as CreatePayload).task;
  if (!task) return false;
  try {
    const info = asRecord((await retrieveOne(client, { type: 'Task', value: task }, ['info'])).info);
    return ['queued', 'running'].includes(asString(info.state));
  } catch {
    return false;
  }
}

/** After a crash: reads the tree, settles the job's record, stores the list; the schedule shows the interruption. */
async function cleanupInterrupted(job: JobRow, deps: AppDeps): Promise<void> {
  const p = job.payload as unknown as CreatePayload;
  if (p.schedule_id) await setSnapshotScheduleError(deps.db, p.schedule_id, INTERRUPTED_MESSAGE);
  const { vm, server } = await vmTarget(deps, p.virtual_machine_id);
  await withHost(deps, server, async (client) => {
    const tree = await readVmSnapshots(deps, client, vm);
    const running = await taskRunning(client, job);
    await settleAsked(deps, await jobRecords(deps.db, job.id), tree, async () => running);
  });
}

export const snapshotCreateJob: JobTypeDefinition = { handler, cleanupInterrupted, cancellable: true };
