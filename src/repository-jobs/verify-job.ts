/**
 * @module repository-jobs/verify-job: the `repository_verify` job type (PBS's verify job): re-reads every chunk
 * that the storage path's restore points name (`verifyRepository`, each distinct chunk once), marks each of
 * them `ok` or `corrupt` with the files hit and the time, then records the chunk count and size and
 * `storage_paths.last_verified_at`; corrupt restore points raise `repository.corrupt`. Progress: distinct chunks checked of how many.
 */
import { backupNames } from '../db/reports.js';
import { restorePointsOf, setVerificationResults } from '../db/repository-jobs.js';
import { setRepositoryMeasure } from '../db/storage-paths.js';
import { msg } from '../i18n/message.js';
import type { JobContext, JobTypeDefinition } from '../jobs/types.js';
import { notifyRepositoryCorrupt } from '../notifications/index.js';
import { verifyRepository } from '../repository/verify.js';
import { measureChunks } from './measure.js';
import { jobRepository } from './target.js';

async function handler(ctx: JobContext): Promise<void> {
  const { deps, job, signal } = ctx;
  const { storage, repo } = await jobRepository(deps, job);
  const points = await restorePointsOf(deps.db, storage.id);
  ctx.report({ step: msg('storage.step.verify_chunks', { done: 0, total: 0 }), progress: 0 });
  const results = await verifyRepository(
    repo,
    points.map((p) => p.index_path),
    (p) =>
      ctx.report({
        progress: p.total ? Math.floor((p.done / p.total) * 95) : 95,
        bytes_done: p.bytes,
        step: msg('storage.step.verify_chunks', { done: p.done, total: p.total }),
      }),
    signal,
  );
  const at = new Date();
  await setVerificationResults(
    deps.db,
    results.map((r, i) => ({ id: points[i]?.id as number, state: r.state, corruptFiles: r.corruptFiles })),
    at,
  );
  ctx.report({ step: msg('storage.step.measure'), progress: 97 });
  const measure = await measureChunks(repo.dir, signal);
  await setRepositoryMeasure(deps.db, storage.id, measure, { last_verified_at: at });
  const corruptIds = points.filter((_, i) => results[i]?.state === 'corrupt').map((p) => p.id);
  const corrupt = corruptIds.length;
  if (corrupt)
    await notifyRepositoryCorrupt(deps, storage, points.length, await backupNames(deps.db, corruptIds));
  ctx.report({ step: msg('storage.step.verify_done', { points: results.length, corrupt }), progress: 100 });
  deps.logger.info(
    { jobId: job.id, storagePath: storage.id, points: results.length, corrupt },
    'repository verified',
  );
}

/** The `repository_verify` job type: cancellable between chunks; nothing to clean up after a crash. */
export const repositoryVerifyJob: JobTypeDefinition = { handler, cancellable: true };
