/**
 * @module db/jobs: the durable job queue's queries: enqueue, claim (FOR UPDATE SKIP LOCKED under a claim
 * lock, within the concurrency limits), lease renewal, progress, finish, cancel, recovery of jobs whose
 * worker died, listing for the operations widget and API, and housekeeping.
 * Every write made on behalf of a worker checks that the worker still owns the job (`lease_owner`) and that
 * the job is still IN_PROGRESS, so a worker that lost its lease cannot overwrite what another one decided.
 * All queries run on PostgreSQL (postgres-js) and PGlite alike.
 */
import { and, desc, eq, gt, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { storeMessage } from '../i18n/message.js';
import { jobsChanged } from '../jobs/changes.js';
import { INTERRUPTED_MESSAGE, type JobRow, type ProgressUpdate } from '../jobs/types.js';
import type { Db } from './client.js';
import { type Listed, type ListWindow, listIn } from './list-window.js';
import { type JobStatus, type JobType, jobs } from './schema.js';

/** Arbitrary constant key of the advisory lock that serialises claims across app processes. */
const CLAIM_LOCK = 7_245_002;

export const ACTIVE_STATUSES = ['PENDING', 'IN_PROGRESS'] as const satisfies readonly JobStatus[];
export const FINISHED_STATUSES = ['COMPLETED', 'FAILED', 'CANCELLED'] as const satisfies readonly JobStatus[];
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

const secondsFromNow = (seconds: number) => sql`now() + make_interval(secs => ${seconds}::double precision)`;
const secondsAgo = (seconds: number) => sql`now() - make_interval(secs => ${seconds}::double precision)`;

export interface NewJob {
  type: JobType;
  /** What the operations widget names, usually the VM's name. */
  target_label: string;
  /** Host the job works on (per-host concurrency limit); null for jobs that use no host. */
  esxi_server_id?: number | null;
  payload?: Record<string, unknown>;
  created_by?: number | null;
}

/**
 * Enqueues a job (PENDING). Accepts a transaction, so that a job and its history row (vm_backups, restores)
 * are created together. Wake the runner after the commit (`deps.jobs?.wake()`, or use `enqueueJob`).
 * @returns the new row.
 */
export async function insertJob(db: Db, input: NewJob): Promise<JobRow> {
  const [row] = await db.insert(jobs).values(input).returning();
  jobsChanged();
  return row as JobRow;
}

/** One job by id, or null. */
export async function getJob(db: Db, id: number): Promise<JobRow | null> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row ?? null;
}

export interface ClaimOptions {
  /** The claiming worker's id (random per process). */
  owner: string;
  /** Lease length in seconds; the worker renews it by heartbeat. */
  leaseSeconds: number;
  /** At most this many IN_PROGRESS jobs in the whole installation (all processes). */
  globalLimit: number;
  /** At most this many IN_PROGRESS jobs on one ESXi host (all processes); jobs without a host are exempt. */
  perHostLimit: number;
  /** Only jobs of these types (the ones this worker has handlers for). */
  types: readonly JobType[];
  /** Types that take no slot: claimed whatever the global limit, and not counted against it. */
  coordinatingTypes?: readonly JobType[];
}

/**
 * Claims the oldest PENDING job that fits the limits: sets it IN_PROGRESS with a lease owned by `owner`.
 * One conditional UPDATE whose subquery picks the row with FOR UPDATE SKIP LOCKED; the claims of all
 * processes are serialised by a transaction-level advisory lock, so that the counts the limits are checked
 * against include every claim committed before (two processes cannot both take the last slot of a host).
 * @returns the claimed row, or null when nothing is claimable.
 */
export async function claimNextJob(db: Db, options: ClaimOptions): Promise<JobRow | null> {
  if (options.types.length === 0) return null;
  const list = (values: readonly string[]) =>
    sql.join(
      values.map((t) => sql`${t}`),
      sql`, `,
    );
  const types = list(options.types);
  const free = options.coordinatingTypes?.length ? list(options.coordinatingTypes) : sql`''`;
  const candidate = sql`(
    select j.id from jobs j
    where j.status = 'PENDING' and j.type in (${types})
      and (j.type in (${free}) or (
        select count(*) from jobs g where g.status = 'IN_PROGRESS' and g.type not in (${free})
      ) < ${options.globalLimit}::int)
      and (j.esxi_server_id is null or (
        select count(*) from jobs h where h.status = 'IN_PROGRESS' and h.esxi_server_id = j.esxi_server_id
      ) < ${options.perHostLimit}::int)
    order by j.id
    limit 1
    for update skip locked
  )`;
  const claimed = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK}::bigint)`);
    const [row] = await tx
      .update(jobs)
      .set({
        status: 'IN_PROGRESS',
        lease_owner: options.owner,
        lease_expires_at: secondsFromNow(options.leaseSeconds),
        started_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where(and(eq(jobs.id, candidate), eq(jobs.status, 'PENDING')))
      .returning();
    return row ?? null;
  });
  if (claimed) jobsChanged();
  return claimed;
}

const ownedAndRunning = (id: number, owner: string) =>
  and(eq(jobs.id, id), eq(jobs.lease_owner, owner), eq(jobs.status, 'IN_PROGRESS'));

/** Puts a job claimed by `owner` back to PENDING (the worker is stopping before it started it). */
export async function releaseJob(db: Db, id: number, owner: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: 'PENDING', lease_owner: null, lease_expires_at: null, started_at: null })
    .where(ownedAndRunning(id, owner))
    .returning({ id: jobs.id });
  if (rows.length === 1) jobsChanged();
  return rows.length === 1;
}

/**
 * Heartbeat: extends the leases of the given jobs still IN_PROGRESS and owned by `owner`.
 * @returns the renewed jobs with their `cancel_requested` flag; an id missing from it lost its lease.
 */
export async function renewLeases(
  db: Db,
  owner: string,
  ids: readonly number[],
  leaseSeconds: number,
): Promise<Array<{ id: number; cancel_requested: boolean }>> {
  if (ids.length === 0) return [];
  return db
    .update(jobs)
    .set({ lease_expires_at: secondsFromNow(leaseSeconds) })
    .where(and(inArray(jobs.id, [...ids]), eq(jobs.lease_owner, owner), eq(jobs.status, 'IN_PROGRESS')))
    .returning({ id: jobs.id, cancel_requested: jobs.cancel_requested });
}

/** Writes progress fields of a job owned by `owner` (the step as a stored message). @returns false when the job is no longer its. */
export async function recordProgress(
  db: Db,
  id: number,
  owner: string,
  update: ProgressUpdate,
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      ...update,
      step: update.step === undefined ? undefined : storeMessage(update.step),
      updated_at: sql`now()`,
    })
    .where(ownedAndRunning(id, owner))
    .returning({ id: jobs.id });
  if (rows.length === 1) jobsChanged();
  return rows.length === 1;
}

/**
 * Ends a job owned by `owner`: COMPLETED (progress set to 100), FAILED or CANCELLED.
 * @param error the stored message shown to the user (src/i18n/message.ts, never a stack); ignored for COMPLETED.
 * @returns false when another worker got there first (the job was failed as interrupted, for instance).
 */
export async function finishJob(
  db: Db,
  id: number,
  owner: string,
  status: FinishedStatus,
  error?: string | null,
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      status,
      error: status === 'COMPLETED' ? null : (error ?? null),
      ...(status === 'COMPLETED' ? { progress: 100 } : {}),
      finished_at: sql`now()`,
      updated_at: sql`now()`,
      lease_expires_at: null,
    })
    .where(ownedAndRunning(id, owner))
    .returning({ id: jobs.id });
  if (rows.length === 1) jobsChanged();
  return rows.length === 1;
}

/**
 * Recovery: fails the IN_PROGRESS jobs whose lease expired (their worker died) with INTERRUPTED_MESSAGE.
 * The UPDATE is atomic, so each interrupted job is returned to exactly one caller, which runs its cleanup.
 * @param options.types only jobs of these types (those the caller can clean up).
 * @param options.ignoreLease also jobs whose lease has not expired yet: for a process that knows it is the
 *   only one on the database (embedded PGlite) at start-up.
 * @returns the failed rows.
 */
export async function failExpiredJobs(
  db: Db,
  options: { types: readonly JobType[]; ignoreLease?: boolean },
): Promise<JobRow[]> {
  if (options.types.length === 0) return [];
  const failed = await db
    .update(jobs)
    .set({
      status: 'FAILED',
      error: INTERRUPTED_MESSAGE,
      finished_at: sql`now()`,
      updated_at: sql`now()`,
      lease_expires_at: null,
    })
    .where(
      and(
        eq(jobs.status, 'IN_PROGRESS'),
        inArray(jobs.type, [...options.types]),
        options.ignoreLease
          ? undefined
          : or(lt(jobs.lease_expires_at, sql`now()`), isNull(jobs.lease_expires_at)),
      ),
    )
    .returning();
  if (failed.length > 0) jobsChanged();
  return failed;
}

/**
 * Asks for a job's cancellation: a PENDING job is CANCELLED at once; an IN_PROGRESS one gets
 * `cancel_requested`, which its worker sees at its next heartbeat and turns into an abort.
 * Does not check whether the job's type may be cancelled (callers do).
 * @returns `cancelled`, `requested`, `finished` (nothing to cancel) with the row, or null when no such job.
 */
export async function requestCancel(
  db: Db,
  id: number,
): Promise<{ outcome: 'cancelled' | 'requested' | 'finished'; job: JobRow } | null> {
  const [cancelled] = await db
    .update(jobs)
    .set({ status: 'CANCELLED', finished_at: sql`now()`, updated_at: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'PENDING')))
    .returning();
  if (cancelled) {
    jobsChanged();
    return { outcome: 'cancelled', job: cancelled };
  }
  const [requested] = await db
    .update(jobs)
    .set({ cancel_requested: true, updated_at: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'IN_PROGRESS')))
    .returning();
  if (requested) {
    jobsChanged();
    return { outcome: 'requested', job: requested };
  }
  const job = await getJob(db, id);
  return job ? { outcome: 'finished', job } : null;
}

/**
 * The operations to show: every PENDING or IN_PROGRESS job, and those finished within the last
 * `finishedWithinSeconds` seconds, oldest first.
 */
export async function listOperations(
  db: Db,
  options: { finishedWithinSeconds: number },
  window?: ListWindow,
): Promise<Listed<JobRow>> {
  return listIn(
    db,
    () =>
      db
        .select()
        .from(jobs)
        .where(
          or(
            inArray(jobs.status, [...ACTIVE_STATUSES]),
            and(isNotNull(jobs.finished_at), gt(jobs.finished_at, secondsAgo(options.finishedWithinSeconds))),
          ),
        )
        .orderBy(jobs.id)
        .$dynamic(),
    window,
  );
}

/**
 * Housekeeping: deletes the jobs finished more than `olderThanHours` ago that no history row references.
 * Jobs of backups and restores are their history (status, error, times): deleting them would cascade to
 * `vm_backups` / `restores` / `ovf_exports` / `ovf_imports`, so they are kept; they merely stop being listed as operations after 24 h.
 * A new table that references `jobs` as history must be added to the NOT EXISTS list below.
 * @returns how many jobs were deleted.
 */
export async function deleteOldJobs(db: Db, olderThanHours = 24): Promise<number> {
  const rows = await db
    .delete(jobs)
    .where(
      and(
        inArray(jobs.status, [...FINISHED_STATUSES]),
        lt(jobs.finished_at, secondsAgo(olderThanHours * 3600)),
        // Correlated subqueries: qualify the outer column explicitly (an unqualified "id" would be b.id).
        sql`not exists (select 1 from vm_backups b where b.job_id = "jobs"."id")`,
        sql`not exists (select 1 from restores r where r.job_id = "jobs"."id")`,
        sql`not exists (select 1 from ovf_exports e where e.job_id = "jobs"."id")`,
        sql`not exists (select 1 from ovf_imports i where i.job_id = "jobs"."id")`,
      ),
    )
    .returning({ id: jobs.id });
  return rows.length;
}

/** Deletes a job (and, by cascade, its history row: a backup or a restore). */
export async function deleteJob(db: Db, id: number): Promise<void> {
  await db.delete(jobs).where(eq(jobs.id, id));
  jobsChanged();
}

/** Adds members to a job's `payload` (a shallow merge: `payload || patch`). */
export async function mergeJobPayload(db: Db, id: number, patch: Record<string, unknown>): Promise<void> {
  await db
    .update(jobs)
    .set({ payload: sql`${jobs.payload} || ${JSON.stringify(patch)}::jsonb` })
    .where(eq(jobs.id, id));
}

/** The newest PENDING or IN_PROGRESS job of a type, or null. */
export async function activeJobOfType(db: Db, type: JobType): Promise<JobRow | null> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.type, type), inArray(jobs.status, [...ACTIVE_STATUSES])))
    .orderBy(desc(jobs.id))
    .limit(1);
  return row ?? null;
}

/**
 * Enqueues a job unless one of its type is PENDING or IN_PROGRESS, under a transaction-scoped advisory
 * lock, so that two requests at once start one job (a database backup, for instance).
 * @param lockKey the advisory lock's key, one per job type that starts this way.
 * @returns the active job (the oldest) or the new one, and whether it was just created.
 */
export async function insertJobUnlessActive(
  db: Db,
  input: NewJob,
  lockKey: number,
): Promise<{ job: JobRow; created: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${lockKey}::bigint)`);
    const [running] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.type, input.type), inArray(jobs.status, [...ACTIVE_STATUSES])))
      .orderBy(jobs.id)
      .limit(1);
    if (running) return { job: running, created: false };
    return { job: await insertJob(tx as unknown as Db, input), created: true };
  });
}
