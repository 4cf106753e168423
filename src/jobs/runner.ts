/**
 * @module jobs/runner: the durable job runner of one process. It claims PENDING jobs from the database
 * (every poll, or at once on `wake()`) within the concurrency limits, runs their handlers, renews their
 * leases by heartbeat (which also carries users' cancels to the handlers), fails the jobs of dead workers,
 * and on `stop()` aborts its handlers and waits for them. Several processes may share one database.
 */
import { randomUUID } from 'node:crypto';
import { claimNextJob, finishJob, releaseJob, renewLeases } from '../db/jobs.js';
import type { JobType } from '../db/schema.js';
import type { AppDeps, JobsControl } from '../deps.js';
import { jobsChanged } from './changes.js';
import { executeJob, type JobFinishedHook, type RunningJob, STOPPED_MESSAGE } from './execute.js';
import {
  definedTypes,
  deleteExpiredOperations,
  type JobDefinitions,
  recoverInterruptedJobs,
} from './recovery.js';

export interface JobRunnerOptions {
  /** Worker id written as `lease_owner`; random by default. */
  owner?: string;
  /** Milliseconds between two claims while idle. */
  pollMs: number;
  /** Seconds between heartbeats (lease renewal, cancels, recovery); fractions allowed. */
  heartbeatSeconds: number;
  /** Seconds a lease lasts; more than twice `heartbeatSeconds`. */
  leaseSeconds: number;
  /** Jobs running at once in the whole installation (this process never runs more). */
  concurrency: number;
  /** Jobs running at once on one ESXi host, across processes. */
  perHostConcurrency: number;
  /** Minimum milliseconds between two progress writes of a job (default 250: 4 a second). */
  progressIntervalMs?: number;
  /** Milliseconds `stop()` waits for aborted handlers before failing their jobs anyway (default 8000: within
   * the 10 s a container gets between SIGTERM and SIGKILL). */
  stopGraceMs?: number;
  /** Finished jobs without history are deleted after this many hours (default 24). */
  retentionHours?: number;
  /** At start, fail every IN_PROGRESS job, lease or not: set when this process is alone (PGlite). */
  recoverAllAtStart?: boolean;
  /** Called after this process recorded a job's outcome (metrics); must not throw. */
  onJobFinished?: JobFinishedHook;
}

export interface JobRunner extends JobsControl {
  readonly owner: string;
  /** Settles once start-up recovery has run and the first claim was attempted. */
  readonly ready: Promise<void>;
  /** Ids of the jobs this process runs now. */
  runningJobIds(): number[];
  /** Stops claiming, aborts the running handlers, waits for them; their jobs end FAILED (STOPPED_MESSAGE). */
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;
const HOUSEKEEPING_MS = 3_600_000;

/**
 * Starts a runner for the given job types. Never throws: database errors are logged and retried with
 * back-off; a handler's error fails its job only.
 * @param deps the app's dependencies (handlers receive them).
 */
export function startJobRunner(
  deps: AppDeps,
  definitions: JobDefinitions,
  options: JobRunnerOptions,
): JobRunner {
  const owner = options.owner ?? `${process.pid}-${randomUUID()}`;
  const types: JobType[] = definedTypes(definitions);
  const coordinatingTypes = types.filter((type) => definitions[type]?.coordinating);
  /** Jobs of this process that take a slot (coordinating ones do not). */
  const slotsTaken = () => [...running.values()].filter((r) => !definitions[r.job.type]?.coordinating).length;
  const running = new Map<number, RunningJob>();
  const log = deps.logger.child({ component: 'job-runner', owner });
  let stopped = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let claiming: Promise<void> | null = null;
  let claimAgain = false;
  let failures = 0;
  let lastHousekeeping = 0;

  const claimLoop = async () => {
    while (!stopped) {
      const full = slotsTaken() >= options.concurrency;
      if (full && coordinatingTypes.length === 0) return;
      const job = await claimNextJob(deps.db, {
        owner,
        leaseSeconds: options.leaseSeconds,
        globalLimit: options.concurrency,
        perHostLimit: options.perHostConcurrency,
        types: full ? coordinatingTypes : types,
        coordinatingTypes,
      });
      if (!job) return;
      const definition = definitions[job.type];
      if (stopped || !definition) {
        await releaseJob(deps.db, job.id, owner);
        return;
      }
      const run = executeJob(
        deps,
        definition,
        job,
        owner,
        options.progressIntervalMs ?? 250,
        options.onJobFinished,
      );
      running.set(job.id, run);
      void run.done.finally(() => {
        running.delete(job.id);
        wake();
      });
    }
  };

  const poll = () => {
    if (stopped) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    clearTimeout(pollTimer);
    claiming = (async () => {
      let delay = options.pollMs;
      do {
        claimAgain = false;
        try {
          await claimLoop();
          failures = 0;
        } catch (err) {
          failures++;
          delay = Math.min(options.pollMs * 2 ** failures, MAX_BACKOFF_MS);
          log.error({ err, retryInMs: delay }, 'claiming jobs failed');
          break;
        }
      } while (claimAgain && !stopped);
      claiming = null;
      if (!stopped) pollTimer = setTimeout(poll, delay).unref();
    })();
  };
  const wake = () => {
    jobsChanged(); // called after an enqueue: the new job is a change
    poll();
  };

  /** Fails the interrupted jobs; this process ended them, so they count in its job metrics. */
  const recoverInterrupted = async (recovery: { ignoreLease?: boolean } = {}) => {
    const failed = await recoverInterruptedJobs(deps, definitions, recovery);
    for (const job of failed) options.onJobFinished?.(job, 'FAILED');
  };

  let beating = false;
  const heartbeat = async (recover: boolean) => {
    if (beating) return;
    beating = true;
    try {
      const ids = [...running.keys()];
      const renewed = await renewLeases(deps.db, owner, ids, options.leaseSeconds);
      const alive = new Set(renewed.map((r) => r.id));
      for (const r of renewed) if (r.cancel_requested) running.get(r.id)?.abort('cancel');
      for (const id of ids) if (!alive.has(id)) running.get(id)?.abort('lost');
      if (recover) {
        await recoverInterrupted();
        if (Date.now() - lastHousekeeping >= HOUSEKEEPING_MS) {
          lastHousekeeping = Date.now();
          await deleteExpiredOperations(deps, options.retentionHours ?? 24);
        }
      }
    } catch (err) {
      log.error({ err }, 'job heartbeat failed');
    } finally {
      beating = false;
    }
  };
  const heartbeatTimer = setInterval(() => void heartbeat(!stopped), options.heartbeatSeconds * 1000);
  heartbeatTimer.unref();

  const ready = (async () => {
    try {
      await recoverInterrupted({ ignoreLease: options.recoverAllAtStart });
    } catch (err) {
      log.error({ err }, 'recovery of interrupted jobs failed');
    }
    poll();
    await claiming;
  })();

  return {
    owner,
    ready,
    wake,
    runningJobIds: () => [...running.keys()],
    isCancellable: (type) => definitions[type]?.cancellable ?? false,
    cancelled: (id) => running.get(id)?.abort('cancel'),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(pollTimer);
      await ready;
      await claiming;
      const runs = [...running.values()];
      for (const run of runs) run.abort('shutdown');
      const grace = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), options.stopGraceMs ?? 8_000).unref(),
      );
      await Promise.race([Promise.all(runs.map((r) => r.done)), grace]);
      clearInterval(heartbeatTimer);
      for (const run of running.values()) {
        log.warn({ jobId: run.job.id }, 'job handler did not stop in time');
        await finishJob(deps.db, run.job.id, owner, 'FAILED', STOPPED_MESSAGE).catch((err) =>
          log.error({ err, jobId: run.job.id }, 'job outcome not recorded'),
        );
      }
    },
  };
}
