/**
 * @module metrics/repositories: the "Repositories" family: per storage path (label `storage_path`, its name),
 * the logical size of its restore points, the physical size of its chunks and the restore points the last
 * verify found corrupt (the alert `RepositoryCorruptRestorePoints` fires on the last one).
 */
import type { Db } from '../db/client.js';
import { repositoryMetrics } from '../db/metrics-repositories.js';
import { type Collector, createFamily } from './collector.js';

/** The repositories family's collector. */
export function repositoriesCollector(): Collector {
  const family = createFamily();
  const labels = ['storage_path'] as const;
  const logical = family.gauge(
    'esxi_repository_logical_bytes',
    'Sum of the sizes of the restore points in the repository of a storage path.',
    labels,
  );
  const physical = family.gauge(
    'esxi_repository_physical_bytes',
    'Bytes of chunk files in the repository (last verify or GC, plus what was written since).',
    labels,
  );
  const corrupt = family.gauge(
    'esxi_repository_corrupt_restore_points',
    'Restore points of the repository that the last verify found corrupt.',
    labels,
  );
  return {
    name: 'repositories',
    metrics: family.metrics,
    async update(db: Db) {
      const rows = await repositoryMetrics(db);
      for (const g of [logical, physical, corrupt]) g.reset();
      for (const r of rows) {
        logical.set({ storage_path: r.name }, r.logical_bytes);
        physical.set({ storage_path: r.name }, r.physical_bytes);
        corrupt.set({ storage_path: r.name }, r.corrupt);
      }
    },
  };
}
