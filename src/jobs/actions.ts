/**
 * @module jobs/actions: what routes do with jobs: enqueue one (and wake the runner), cancel one (when its
 * type allows it), and the JSON shape of an operation for `/api/operations/`.
 */
import { getJob, insertJob, type NewJob, requestCancel } from '../db/jobs.js';
import type { AppDeps } from '../deps.js';
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

/** An operation as the API returns it: the job's columns (snake_case) without payload and lease. */
export interface OperationJson {
  id: number;
  type: JobRow['type'];
  status: JobRow['status'];
  target_label: string;
  esxi_server_id: number | null;
  progress: number;
  bytes_done: number;
  bytes_total: number;
  step: string;
  error: string | null;
  cancel_requested: boolean;
  cancellable: boolean;
  created_by: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The API shape of a job. @param cancellable whether its type may be cancelled. */
export function operationJson(job: JobRow, cancellable: boolean): OperationJson {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    target_label: job.target_label,
    esxi_server_id: job.esxi_server_id,
    progress: job.progress,
    bytes_done: job.bytes_done,
    bytes_total: job.bytes_total,
    step: job.step,
    error: job.error,
    cancel_requested: job.cancel_requested,
    cancellable: cancellable && (job.status === 'PENDING' || job.status === 'IN_PROGRESS'),
    created_by: job.created_by,
    created_at: iso(job.created_at) as string,
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
    updated_at: iso(job.updated_at) as string,
  };
}
