/**
 * @module db/repository-jobs: the queries of the repository jobs (src/repository-jobs/): restore points of a
 * storage path, verify verdicts, the start of the oldest backup still running into a directory (the GC
 * cutoff), one active job per storage path and type, and the one-GC-per-repository advisory lock.
 */
import { and, eq, inArray, isNotNull, min, sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { JobRow } from '../jobs/types.js';
import { type Db, databaseOf } from './client.js';
import { ACTIVE_STATUSES, insertJob, type NewJob } from './jobs.js';
import { jobs, storage_paths, vm_backups } from './schema.js';

/** Advisory lock class of repository starts (xact) and GCs (session, second key = hash of the directory). */
const START_LOCK = 7_245_005;
const GC_LOCK_CLASS = 7_245_006;

/** The restore points (format `repository`, index committed) of a storage path. */
export async function restorePointsOf(
  db: Db,
  storagePathId: number,
): Promise<{ id: number; index_path: string }[]> {
  const rows = await db
    .select({ id: vm_backups.id, index_path: vm_backups.index_path })
    .from(vm_backups)
    .where(
      and(
        eq(vm_backups.storage_path_id, storagePathId),
        eq(vm_backups.format, 'repository'),
        isNotNull(vm_backups.index_path),
      ),
    )
    .orderBy(vm_backups.id);
  return rows as { id: number; index_path: string }[];
}

/** Records the verdict of a verify on each restore point it checked. */
export async function setVerificationResults(
  db: Db,
  results: { id: number; state: 'ok' | 'corrupt'; corruptFiles: string[] }[],
  at: Date,
): Promise<void> {
  for (const r of results) {
    await db
      .update(vm_backups)
      .set({ verification_state: r.state, corrupt_files: r.corruptFiles, verified_at: at })
      .where(eq(vm_backups.id, r.id));
  }
}

/**
 * When the oldest backup still running into the directory `dir` started (any storage path row naming that
 * directory, any process), or null when none runs.
 */
export async function oldestRunningBackupStart(db: Db, dir: string): Promise<Date | null> {
  const [row] = await db
    .select({ started: min(jobs.started_at) })
    .from(jobs)
    .innerJoin(vm_backups, eq(vm_backups.job_id, jobs.id))
    .innerJoin(storage_paths, eq(storage_paths.id, vm_backups.storage_path_id))
    .where(and(eq(jobs.type, 'vm_backup'), eq(jobs.status, 'IN_PROGRESS'), eq(storage_paths.path, dir)));
  return row?.started ? new Date(row.started) : null;
}

/** The PENDING or IN_PROGRESS job of `type` on the storage path `storagePathId`, if any. */
export async function activeRepositoryJob(
  db: Db,
  type: 'repository_verify' | 'repository_gc',
  storagePathId: number,
): Promise<JobRow | null> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.type, type),
        inArray(jobs.status, [...ACTIVE_STATUSES]),
        sql`(${jobs.payload}->>'storage_path_id')::int = ${storagePathId}`,
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Enqueues a repository job unless one of its type is already active on that storage path (serialised
 * across processes by a transaction-level advisory lock).
 * @param opts.unlessCreatedSince also refuse when a verify of that path was queued since then (scheduler).
 * @returns the new job (`created`), else the active one (null when refused by `unlessCreatedSince`).
 */
export async function insertRepositoryJobUnlessActive(
  db: Db,
  input: NewJob & { type: 'repository_verify' | 'repository_gc' },
  storagePathId: number,
  opts: { unlessCreatedSince?: Date } = {},
): Promise<{ job: JobRow | null; created: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${START_LOCK}::bigint)`);
    const active = await activeRepositoryJob(tx as unknown as Db, input.type, storagePathId);
    if (active) return { job: active, created: false };
    if (
      opts.unlessCreatedSince &&
      (await verifyJobCreatedSince(tx as unknown as Db, storagePathId, opts.unlessCreatedSince))
    )
      return { job: null, created: false };
    const payload = { ...input.payload, storage_path_id: storagePathId };
    return { job: await insertJob(tx as unknown as Db, { ...input, payload }), created: true };
  });
}

/** Whether any repository_verify job was created on the storage path since `since`. */
export async function verifyJobCreatedSince(db: Db, storagePathId: number, since: Date): Promise<boolean> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.type, 'repository_verify'),
        sql`${jobs.created_at} >= ${since}`,
        sql`(${jobs.payload}->>'storage_path_id')::int = ${storagePathId}`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

const pgliteLocks = new Set<string>();

/**
 * Runs `fn` holding the GC lock of the repository in `dir`: a session-level Postgres advisory lock (on its own
 * connection, held for the whole run) so that one GC per repository runs across every app process; on
 * PGlite (one process, guaranteed by its lock file) an in-process lock. Waits, polling once a second, while
 * another GC holds it.
 * @param onWait called once when the lock is busy (to say so in the job's step).
 * @throws the signal's reason when aborted while waiting.
 */
export async function withGcLock<T>(
  db: Db,
  dir: string,
  fn: () => Promise<T>,
  opts: { signal?: AbortSignal; onWait?: () => void } = {},
): Promise<T> {
  const database = databaseOf(db);
  const wait = async (tryLock: () => Promise<boolean>) => {
    let told = false;
    while (!(await tryLock())) {
      opts.signal?.throwIfAborted();
      if (!told) opts.onWait?.();
      told = true;
      await new Promise((r) => setTimeout(r, 1000));
      opts.signal?.throwIfAborted();
    }
  };
  if (!database?.url) {
    await wait(async () => {
      if (pgliteLocks.has(dir)) return false;
      pgliteLocks.add(dir);
      return true;
    });
    try {
      return await fn();
    } finally {
      pgliteLocks.delete(dir);
    }
  }
  const client = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await wait(async () => {
      const [row] = await client`select pg_try_advisory_lock(${GC_LOCK_CLASS}::int, hashtext(${dir})) as ok`;
      return row?.ok === true;
    });
    return await fn();
  } finally {
    await client.end({ timeout: 5 });
  }
}
