/**
 * @module jobs/actions: what routes do with jobs: enqueue one (and wake the runner), cancel one (when its
 * type allows it). The API's JSON of an operation is src/http/api/operations-json.ts.
 */
import { getJob, insertJob, type NewJob, requestCancel } from '../db/jobs.js';
import type { AppDeps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { msg } from '../i18n/message.js';
import type { JobRow } from './types.js';

/**
 * Enqueues a PENDING job and wakes this process's runner so that it starts at once when a slot is free.
 * To create a job together with its history row, call `insertJob(tx, ...)` inside the transaction and
 * `deps.jobs?.wake()` after it instead.
 * @returns the new row.
 */
export async function enqueueJob(deps: Pick<AppDeps, 'db' | 'jobs'>, input: NewJob): Promise<JobRow> {
  const job = await insertJob(deps.db, input);
  deps.jobs?.wake();
  return job;
}

/** `cancelled`: it had not started; `requested`: its handler is being aborted; the others change nothing. */
export type CancelOutcome = 'cancelled' | 'requested' | 'finished' | 'not_cancellable';

/**
 * Cancels a job: at once when PENDING; when IN_PROGRESS, aborts its handler (now if this process runs it,
 * else at the owner's next heartbeat) and the job ends CANCELLED once the handler has cleaned up.
 * @returns the outcome and the job's row after it, or null when there is no such job.
 */
export async function cancelJob(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  id: number,
): Promise<{ outcome: CancelOutcome; job: JobRow } | null> {
  const job = await getJob(deps.db, id);
  if (!job) return null;
  if (!deps.jobs?.isCancellable(job.type)) return { outcome: 'not_cancellable', job };
  const result = await requestCancel(deps.db, id);
  if (!result) return null;
  if (result.outcome === 'requested') deps.jobs.cancelled(id);
  return result;
}

/**
 * Cancels a job for a request (see `cancelJob`).
 * @returns `cancelled` (it had not started) or `requested` (its handler is being aborted), with the row.
 * @throws NotFoundError when there is no such job; ConflictError `not_cancellable` when its type cannot be
 *   cancelled, `already_finished` when it has ended.
 */
export async function cancelOperation(
  deps: Pick<AppDeps, 'db' | 'jobs'>,
  id: number,
): Promise<{ outcome: 'cancelled' | 'requested'; job: JobRow }> {
  const result = await cancelJob(deps, id);
  if (!result) throw new NotFoundError();
  if (result.outcome === 'not_cancellable')
    throw new ConflictError('not_cancellable', msg('operations.not_cancellable'));
  if (result.outcome === 'finished')
    throw new ConflictError('already_finished', msg('operations.already_finished'));
  return { outcome: result.outcome, job: result.job };
}
