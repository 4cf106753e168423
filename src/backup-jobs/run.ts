/**
 * @module backup-jobs/run: the `backup_job` job's handler, one run of a backup job. It evaluates the selection,
 * turns CBT on where the job asks for it, then starts one `vm_backup` job per VM (the job's storage path,
 * quiesce and retention), at most `max_parallel_vms` at once (the runner's host limits still apply), and
 * watches them: a failed VM is started again after `retry_delay_seconds`, up to `retry_count` times. The run
 * ends `success`, `warning` (a VM was retried, an explicit VM was gone and skipped, or nothing was selected),
 * `failed` (a VM still failed after its retries; the job then fails too) or, on a cancel, `cancelled` after
 * cancelling its running backups (no new one starts). The notification channels hear how it ended.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { finishRun, getRunByJob, insertRunVms, type RunVmRow } from '../db/backup-job-runs.js';
import type { SelectionCandidate } from '../db/backup-job-selection.js';
import { type BackupJobRow, getBackupJob } from '../db/backup-jobs.js';
import type { AppDeps } from '../deps.js';
import { msg, storeMessage } from '../i18n/message.js';
import { changeTracking } from '../inventory/change-tracking.js';
import { storedError } from '../jobs/execute.js';
import type { JobContext } from '../jobs/types.js';
import { type Attempt, settleAttempt, startAttempt, stopAttempts } from './attempts.js';
import { BackupJobError } from './errors.js';
import { announceRun } from './notice.js';
import { evaluateSelection } from './selection.js';

/** Milliseconds between two looks at the running attempts. */
const POLL_MS = 500;

/** Turns CBT on for the selected VMs that lack it; a refusal is logged, the backup then reads in full. */
async function enableChangeTracking(deps: AppDeps, vms: SelectionCandidate[]): Promise<void> {
  for (const vm of vms.filter((v) => !v.change_tracking_enabled)) {
    try {
      await changeTracking(deps, vm.id, true);
    } catch (err) {
      deps.logger.warn({ vm: vm.name, err }, 'backup job: change tracking could not be turned on');
    }
  }
}

/** Runs the loop of attempts (module doc). @returns whether a VM was retried and how many failed. */
async function backUpAll(
  ctx: JobContext,
  backupJob: BackupJobRow,
  lines: RunVmRow[],
  active: Map<number, Attempt>,
): Promise<{ retried: boolean; failed: number }> {
  const { deps, signal } = ctx;
  const queue = lines.map((line) => ({ line, notBefore: 0 }));
  const progress = new Map<number, number>();
  let retried = false;
  let failed = 0;
  let ended = 0;
  while (queue.length > 0 || active.size > 0) {
    signal.throwIfAborted();
    while (active.size < backupJob.max_parallel_vms) {
      const next = queue.findIndex((w) => w.notBefore <= Date.now());
      if (next < 0) break;
      const [waiting] = queue.splice(next, 1);
      if (!waiting) break;
      const attempt = await startAttempt(deps, backupJob, waiting.line);
      active.set(attempt.line.id, attempt);
    }
    await sleep(POLL_MS, undefined, { signal });
    for (const attempt of [...active.values()]) {
      const retry = attempt.line.attempts <= backupJob.retry_count;
      const { state, progress: percent } = await settleAttempt(deps, attempt, retry);
      progress.set(attempt.line.id, percent);
      if (state === 'running') continue;
      active.delete(attempt.line.id);
      if (state === 'failed' && retry) {
        retried = true;
        const notBefore = Date.now() + backupJob.retry_delay_seconds * 1000;
        queue.push({ line: { ...attempt.line, status: 'pending' }, notBefore });
        continue;
      }
      ended++;
      if (state === 'failed') failed++;
    }
    const sum = [...progress.values()].reduce((a, b) => a + b, 0);
    ctx.report({
      progress: Math.min(99, Math.floor(sum / Math.max(1, lines.length))),
      step: msg('step.backup_job.progress', { done: ended, total: lines.length, running: active.size }),
    });
  }
  return { retried, failed };
}

/**
 * Runs one backup job run (module doc).
 * @throws BackupJobError `vms_failed` when a VM failed after its retries (the run is `failed`), `no_run` /
 *   `backup_job_gone` when its rows are missing, or the abort reason (the run is `cancelled`, or `failed` when
 *   the process stops).
 */
export async function runBackupJob(ctx: JobContext): Promise<void> {
  const { deps, job, signal } = ctx;
  const run = await getRunByJob(deps.db, job.id);
  if (!run) throw new BackupJobError('no_run', 'backup_jobs.error.no_run', { job: job.id });
  const backupJob = await getBackupJob(deps.db, run.backup_job_id);
  if (!backupJob) throw new BackupJobError('backup_job_gone', 'backup_jobs.error.gone');
  ctx.report({ progress: 0, step: msg('step.backup_job.selecting') });
  const { selected, gone } = await evaluateSelection(deps.db, backupJob);
  const goneError = (vm: string) => storeMessage(msg('backups.error.vm_gone', { vm }), 'vm_gone');
  await insertRunVms(
    deps.db,
    run.id,
    gone.map((vm) => ({
      virtual_machine_id: vm.id,
      vm_name: vm.name,
      status: 'skipped',
      error: goneError(vm.name),
    })),
  );
  const lines = await insertRunVms(
    deps.db,
    run.id,
    selected.map((vm) => ({ virtual_machine_id: vm.id, vm_name: vm.name })),
  );
  const active = new Map<number, Attempt>();
  let outcome: { retried: boolean; failed: number };
  try {
    if (backupJob.use_change_tracking) await enableChangeTracking(deps, selected);
    outcome = await backUpAll(ctx, backupJob, lines, active);
  } catch (err) {
    const reason = signal.aborted ? signal.reason : err;
    const cancelled = (reason as { reason?: string })?.reason === 'cancel';
    const error = cancelled ? null : storedError(reason);
    await stopAttempts(deps, run.id, [...active.values()], cancelled ? 'cancelled' : 'failed', error);
    const status = cancelled ? 'cancelled' : 'failed';
    if (await finishRun(deps.db, run.id, status, error)) await announceRun(deps, run, status);
    throw reason;
  }
  if (outcome.failed > 0) {
    const failure = new BackupJobError('vms_failed', 'backup_jobs.error.vms_failed', {
      failed: outcome.failed,
      total: lines.length,
    });
    if (await finishRun(deps.db, run.id, 'failed', storedError(failure)))
      await announceRun(deps, run, 'failed');
    throw failure;
  }
  const warning = outcome.retried || gone.length > 0 || lines.length === 0;
  const status = warning ? 'warning' : 'success';
  if (await finishRun(deps.db, run.id, status)) await announceRun(deps, run, status);
  ctx.report({ progress: 100, step: msg('step.done') });
}
