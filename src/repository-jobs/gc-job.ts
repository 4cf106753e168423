/**
 * @module repository-jobs/gc-job: the `repository_gc` job type: garbage collection of a storage path's
 * repository (`collectGarbage`: mark every chunk an index names, sweep the older rest). It holds the
 * repository's GC lock (a Postgres advisory lock keyed by the directory, src/db/repository-jobs.ts), waiting
 * while another process collects the same directory; the cutoff is min(now, start of the oldest backup still
 * running into that directory in any process) minus 5 minutes, so that no chunk a running backup wrote or
 * reused is swept. Then records the chunk count and size and `storage_paths.last_gc_at`.
 */
import { oldestRunningBackupStart, withGcLock } from '../db/repository-jobs.js';
import { setRepositoryMeasure } from '../db/storage-paths.js';
import { msg } from '../i18n/message.js';
import type { JobContext, JobTypeDefinition } from '../jobs/types.js';
import { collectGarbage } from '../repository/gc.js';
import { measureChunks } from './measure.js';
import { jobRepository } from './target.js';

/** Safety margin of the cutoff (clock skew between processes, file systems with coarse mtimes). */
export const GC_MARGIN_MS = 5 * 60_000;

/** The GC cutoff: min(now, start of the oldest running backup into `dir`) - 5 minutes. */
export async function gcCutoff(db: JobContext['deps']['db'], dir: string, now = new Date()): Promise<Date> {
  const oldest = await oldestRunningBackupStart(db, dir);
  const base = oldest && oldest < now ? oldest : now;
  return new Date(base.getTime() - GC_MARGIN_MS);
}

async function handler(ctx: JobContext): Promise<void> {
  const { deps, job, signal } = ctx;
  const { storage, repo } = await jobRepository(deps, job);
  const result = await withGcLock(
    deps.db,
    repo.dir,
    async () => {
      const cutoff = await gcCutoff(deps.db, storage.path);
      ctx.report({ step: msg('storage.step.gc_mark', { done: 0, total: 0 }), progress: 0 });
      const gc = await collectGarbage(repo, {
        cutoff,
        signal,
        onProgress: (p) =>
          p.phase === 'mark'
            ? ctx.report({
                step: msg('storage.step.gc_mark', { done: p.done, total: p.total ?? 0 }),
                progress: p.total ? Math.floor((p.done / p.total) * 50) : 50,
              })
            : ctx.report({ step: msg('storage.step.gc_sweep', { done: p.done }), progress: 60 }),
      });
      ctx.report({ step: msg('storage.step.measure'), progress: 90 });
      const measure = await measureChunks(repo.dir, signal);
      await setRepositoryMeasure(deps.db, storage.id, measure, { last_gc_at: new Date() });
      return gc;
    },
    { signal, onWait: () => ctx.report({ step: msg('storage.step.gc_waiting') }) },
  );
  ctx.report({
    step: msg('storage.step.gc_done', { removed: result.chunksRemoved, kept: result.chunksKept }),
    progress: 100,
    bytes_done: result.bytesRemoved,
  });
  deps.logger.info({ jobId: job.id, storagePath: storage.id, ...result }, 'repository garbage collected');
}

/** The `repository_gc` job type: cancellable (an abort while marking removes nothing). */
export const repositoryGcJob: JobTypeDefinition = { handler, cancellable: true };
