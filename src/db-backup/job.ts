/**
 * @module db-backup/job: the `db_backup` job type (registered in src/jobs/definitions.ts): runs the backup
 * engine with the job's progress reporter and abort signal, and records the result for the result card.
 * A run whose process died leaves a `.job<id>.partial` file, removed by the interrupted-job cleanup. A failure
 * (not a cancel) and an interrupted run raise `db_backup.failed`.
 */
import { readdir } from 'node:fs/promises';
import { INTERRUPTED_MESSAGE, type JobContext, type JobTypeDefinition } from '../jobs/types.js';
import { notifyDbBackupFailed } from '../notifications/index.js';
import { runDbBackup } from './engine.js';
import { setDbBackupResult } from './job-store.js';
import { removePartials } from './paths.js';

async function handler(ctx: JobContext): Promise<void> {
  const { deps, job } = ctx;
  try {
    await backUp(ctx);
  } catch (err) {
    if (!ctx.signal.aborted) await notifyDbBackupFailed(deps, job.id, err);
    throw err;
  }
}

async function backUp(ctx: JobContext): Promise<void> {
  const { deps, job } = ctx;
  const backup = await runDbBackup({
    db: deps.db,
    config: deps.config,
    signal: ctx.signal,
    report: ctx.report,
    owner: `job${job.id}`,
  });
  await setDbBackupResult(deps.db, job.id, {
    name: backup.name,
    size_bytes: backup.size_bytes,
    location: deps.config.dbBackupDir,
    sha256: backup.sha256,
  });
  deps.logger.info({ jobId: job.id, file: backup.path, bytes: backup.size_bytes }, 'database backup written');
}

/**
 * The `db_backup` job type: cancellable (pg_dump is killed, the partial file removed); the cleanup of an
 * interrupted run removes its partial file. Seed 004.
 */
export const dbBackupJob: JobTypeDefinition = {
  handler,
  cancellable: true,
  cleanupInterrupted: async (job, deps) => {
    const dir = deps.config.dbBackupDir;
    const names = await readdir(dir).catch(() => [] as string[]);
    await removePartials(dir, `job${job.id}`, names);
    await notifyDbBackupFailed(deps, job.id, job.error ?? INTERRUPTED_MESSAGE);
  },
};
