/**
 * @module jobs/types: the contract between the durable job runner and the job handlers (one file per job
 * type under src/jobs/). A handler does the work; the runner claims, leases, heartbeats, records progress,
 * cancels and finishes the job row.
 */

import type { jobs } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { type Message, msg, storeMessage } from '../i18n/message.js';

export type JobRow = typeof jobs.$inferSelect;

/** A progress report; fields left out keep their previous value. Reports are throttled by the runner. */
export interface ProgressUpdate {
  /** Percent 0-100. */
  progress?: number;
  bytes_done?: number;
  bytes_total?: number;
  /** The current step, shown to the user in their language (e.g. `msg('step.copying', { file })`). */
  step?: Message;
}

export interface JobContext {
  job: JobRow;
  deps: AppDeps;
  /** Aborted when the user cancels the job or this process shuts down. Check it between steps. */
  signal: AbortSignal;
  /** Records progress (throttled to a few writes a second; the last call always lands). */
  report(update: ProgressUpdate): void;
}

/**
 * Runs one job to its end. Returning means COMPLETED; throwing means FAILED with the error's message (src/errors.ts `messageOf`)
 * (or CANCELLED when `signal` was aborted by a cancel). Handlers clean up after themselves in `finally`.
 */
export type JobHandler = (ctx: JobContext) => Promise<void>;

/**
 * Runs after a job was failed as interrupted (its worker died): removes what the dead worker left
 * (partial files, snapshots through the ledger sweep). Must be idempotent.
 */
export type InterruptedJobCleanup = (job: JobRow, deps: AppDeps) => Promise<void>;

export interface JobTypeDefinition {
  handler: JobHandler;
  cleanupInterrupted?: InterruptedJobCleanup;
  /** Whether the user may cancel it (the operations widget shows a cancel button). */
  cancellable: boolean;
  /**
   * A job that only starts and watches other jobs (a backup job run): it takes none of the JOB_CONCURRENCY
   * slots, so that it never starves its own children of them.
   */
  coordinating?: boolean;
}

/** The message a job gets when its worker died mid-run. */
export const INTERRUPTED: Message = msg('jobs.error.interrupted');
/** INTERRUPTED as stored in a job's `error` column (code `interrupted`). */
export const INTERRUPTED_MESSAGE = storeMessage(INTERRUPTED, 'interrupted');
