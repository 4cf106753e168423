/**
 * @module jobs/execute: runs one claimed job's handler and records its outcome: COMPLETED when it returns,
 * CANCELLED when it throws after a user's cancel, FAILED with the error's message (never a stack) otherwise,
 * or with STOPPED_MESSAGE when this process shut down during the job.
 */
import { type FinishedStatus, finishJob, recordProgress } from '../db/jobs.js';
import type { AppDeps } from '../deps.js';
import { AppError, codeOf, messageOf } from '../errors.js';
import { type Message, msg, storeMessage } from '../i18n/message.js';
import { createProgressReporter } from './progress.js';
import type { JobRow, JobTypeDefinition } from './types.js';

/** Why a running job's signal was aborted: a user's cancel, this process stopping, or a lost lease. */
export type AbortReason = 'cancel' | 'shutdown' | 'lost';

const REASON_MESSAGE: Record<AbortReason, Message> = {
  cancel: msg('jobs.error.cancelled'),
  shutdown: msg('jobs.error.stopped'),
  lost: msg('jobs.error.lease_lost'),
};

/** The message of a job that was running when its process shut down (SIGTERM), as stored: it did not finish. */
export const STOPPED_MESSAGE = storeMessage(REASON_MESSAGE.shutdown, 'stopped');

/** The reason given to `AbortController.abort()`, so that `signal.reason` says why. */
export class JobAbortedError extends AppError {
  override name = 'AbortError';
  constructor(readonly reason: AbortReason) {
    super(
      409,
      reason === 'cancel' ? 'cancelled' : reason === 'shutdown' ? 'stopped' : 'lease_lost',
      REASON_MESSAGE[reason],
    );
  }
}

export interface RunningJob {
  job: JobRow;
  /** Aborts the handler's signal (the first reason wins). */
  abort(reason: AbortReason): void;
  /** Settles (never rejects) once the outcome is recorded. */
  done: Promise<void>;
}

/** Told of each job whose outcome this process recorded (e.g. metrics); must not throw. */
export type JobFinishedHook = (job: JobRow, status: FinishedStatus) => void;

/** A thrown value as stored in an `error` column: its message and code (src/errors.ts), never its stack. */
export const storedError = (err: unknown): string => storeMessage(messageOf(err), codeOf(err));

/**
 * Starts a job's handler (already claimed by `owner`) and records its outcome when it settles.
 * @param progressIntervalMs minimum milliseconds between two progress writes.
 * @param onFinished called once this process recorded the job's outcome (not when another worker did).
 */
export function executeJob(
  deps: AppDeps,
  definition: JobTypeDefinition,
  job: JobRow,
  owner: string,
  progressIntervalMs: number,
  onFinished?: JobFinishedHook,
): RunningJob {
  const log = deps.logger.child({ jobId: job.id, jobType: job.type });
  const controller = new AbortController();
  let reason: AbortReason | undefined;
  const progress = createProgressReporter(
    (update) => recordProgress(deps.db, job.id, owner, update),
    progressIntervalMs,
    (err) => log.warn({ err }, 'job progress not recorded'),
  );

  const done = (async () => {
    let status: FinishedStatus = 'COMPLETED';
    let error: string | null = null;
    log.info({ target: job.target_label }, 'job started');
    try {
      await definition.handler({ job, deps, signal: controller.signal, report: progress.report });
    } catch (err) {
      if (reason === 'cancel') status = 'CANCELLED';
      else {
        status = 'FAILED';
        error = reason === 'shutdown' ? STOPPED_MESSAGE : storedError(err);
        if (!reason) log.warn({ err }, 'job failed');
      }
    }
    await progress.flush();
    if (reason === 'lost') {
      log.warn('job lease lost: another worker took over its outcome');
      return;
    }
    const recorded = await finishJob(deps.db, job.id, owner, status, error).catch((err) => {
      log.error({ err }, 'job outcome not recorded');
      return false;
    });
    if (recorded) {
      log.info({ status, error }, 'job finished');
      try {
        onFinished?.(job, status);
      } catch (err) {
        log.warn({ err }, 'job finished hook failed');
      }
    } else log.warn({ status }, 'job outcome not recorded: another worker got there first');
  })();

  return {
    job,
    done,
    abort(why) {
      if (reason) return;
      reason = why;
      controller.abort(new JobAbortedError(why));
    },
  };
}
