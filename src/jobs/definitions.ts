/**
 * @module jobs/definitions: the job types this app runs (one JobTypeDefinition per type, written beside its
 * engine, e.g. src/backup/) and the runner's settings taken from the configuration.
 */
import { restoreJob, vmBackupJob } from '../backup/index.js';
import { backupJobJob } from '../backup-jobs/index.js';
import type { Config } from '../config.js';
import { dbBackupJob } from '../db-backup/job.js';
import { ovfExportJob } from '../ovf/export-job.js';
import { ovfImportJob } from '../ovf/import-job.js';
import { failoverJob, replicationJob } from '../replication/index.js';
import { repositoryGcJob, repositoryVerifyJob } from '../repository-jobs/index.js';
import { snapshotCreateJob, snapshotRemoveJob, snapshotRevertJob } from '../snapshots/index.js';
import { verificationJob } from '../surebackup/job.js';
import type { JobDefinitions } from './recovery.js';
import type { JobRunnerOptions } from './runner.js';

/** The app's job types. A type left out here is never claimed by this process (its jobs stay PENDING). */
export const jobDefinitions: JobDefinitions = {
  vm_backup: vmBackupJob,
  restore: restoreJob,
  db_backup: dbBackupJob,
  verification: verificationJob,
  replication: replicationJob,
  failover: failoverJob,
  repository_verify: repositoryVerifyJob,
  repository_gc: repositoryGcJob,
  backup_job: backupJobJob,
  snapshot_create: snapshotCreateJob,
  snapshot_revert: snapshotRevertJob,
  snapshot_remove: snapshotRemoveJob,
  ovf_export: ovfExportJob,
  ovf_import: ovfImportJob,
};

/**
 * The runner's options from the settings.
 * @param databaseKind `pglite` means this process is alone on its database (a lock file guarantees it), so
 *   every job still IN_PROGRESS at start-up was interrupted and is failed at once, without waiting for its lease.
 */
export function runnerOptionsFromConfig(
  config: Config,
  databaseKind: 'postgres' | 'pglite',
): JobRunnerOptions {
  return {
    pollMs: config.jobPollMs,
    heartbeatSeconds: config.jobHeartbeatSeconds,
    leaseSeconds: config.jobLeaseSeconds,
    concurrency: config.jobConcurrency,
    perHostConcurrency: config.jobConcurrencyPerHost,
    recoverAllAtStart: databaseKind === 'pglite',
  };
}
