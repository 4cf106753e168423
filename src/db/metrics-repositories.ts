/**
 * @module db/metrics-repositories: the queries behind the Prometheus "Repositories" family
 * (src/metrics/repositories.ts): per storage path, its restore points' logical bytes, the chunk bytes on disk
 * (last measure plus what restore points wrote since, as the API computes them) and the restore points the
 * last verify found corrupt. Two small queries, no file walk.
 */
import { asc } from 'drizzle-orm';
import type { Db } from './client.js';
import { storage_paths } from './schema.js';
import { repositoryTotals } from './storage-paths.js';

/** One storage path's repository figures. */
export interface RepositoryMetricsRow {
  name: string;
  logical_bytes: number;
  physical_bytes: number;
  corrupt: number;
}

/** The figures of every storage path's repository. */
export async function repositoryMetrics(db: Db): Promise<RepositoryMetricsRow[]> {
  const [rows, totals] = await Promise.all([
    db
      .select({ id: storage_paths.id, name: storage_paths.name, chunk_bytes: storage_paths.chunk_bytes })
      .from(storage_paths)
      .orderBy(asc(storage_paths.name)),
    repositoryTotals(db),
  ]);
  return rows.map((r) => {
    const t = totals.get(r.id);
    return {
      name: r.name,
      logical_bytes: t?.logical_bytes ?? 0,
      physical_bytes: (r.chunk_bytes ?? 0) + (t?.bytes_written_since ?? 0),
      corrupt: t?.corrupt ?? 0,
    };
  });
}
