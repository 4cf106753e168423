/**
 * @module metrics/backup-reads: `esxi_backup_bytes_read_total{mode}`, the bytes the VM backups this process
 * finished read from the datastores, by `mode` (`full` or `incremental`: a disk read only where Changed Block
 * Tracking reported changes). Observed from the runner's finish hook, like metrics/job-outcomes; summed
 * across app processes. A backup that failed before recording its result counts nothing.
 */
import { Counter, type Registry } from 'prom-client';
import { getBackupByJob } from '../db/backups.js';
import type { AppDeps } from '../deps.js';
import type { JobRow } from '../jobs/types.js';

/**
 * Registers the counter on `registry`. @returns `observe(job)`: reads the job's backup row once and counts
 *   its bytes read; never throws (a read error is logged).
 */
export function createBackupReadMetrics(registry: Registry, deps: Pick<AppDeps, 'db' | 'logger'>) {
  const counter = new Counter({
    name: 'esxi_backup_bytes_read_total',
    help: 'Bytes read from the datastores by the VM backups this process finished, by mode (full or incremental).',
    labelNames: ['mode'],
    registers: [registry],
  });
  for (const mode of ['full', 'incremental']) counter.inc({ mode }, 0);
  return {
    observe(job: JobRow): void {
      if (job.type !== 'vm_backup') return;
      getBackupByJob(deps.db, job.id)
        .then((row) => {
          if (row && row.bytes_read > 0) counter.inc({ mode: row.mode }, row.bytes_read);
        })
        .catch((err) => deps.logger.warn({ err, jobId: job.id }, 'backup read metrics not recorded'));
    },
  };
}
