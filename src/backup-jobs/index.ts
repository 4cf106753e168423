/**
 * @module backup-jobs: backup jobs (a selection of VMs backed up on a schedule with one set of settings), their
 * runs as `backup_job` jobs, and the scheduler that starts them. Queries: src/db/backup-jobs.ts,
 * src/db/backup-job-runs.ts.
 */
export { BackupJobError } from './errors.js';
export { backupJobJob } from './job.js';
export { type VmProtection, vmProtection } from './protection.js';
export { runBackupJobSchedulerPass, startBackupJobScheduler } from './scheduler.js';
export { evaluateSelection, nameMatches, type Selection, type SelectionRules } from './selection.js';
export {
  type BackupJobInput,
  backupJobFields,
  backupJobInput,
  inputOf,
  removeBackupJob,
  saveBackupJob,
} from './settings.js';
export { runningConflict, startRun } from './start.js';
