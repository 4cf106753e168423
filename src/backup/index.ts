/**
 * @module backup: VM backups to a storage path, restores to any registered host, and the snapshot ledger
 * sweep. The job types plug into the job runner (src/jobs); the queries live in src/db/backups.ts.
 */
export { removeJobDirs } from './backup-dirs.js';
export { BackupError, CorruptBackupError } from './errors.js';
export { MANIFEST_FILE, type Manifest, type ManifestFile } from './manifest.js';
export { openStorageRepository, sealMasterKey, unsealMasterKey } from './repository-access.js';
export { restoreJob } from './restore.js';
export { openRestoreSource, type RestoreSource } from './restore-source.js';
export {
  applyRetention,
  type EffectiveRetention,
  effectiveRetention,
  planRetention,
  type RetentionPlan,
  removeBackup,
} from './retention.js';
export { removeLedgerSnapshot, type SweepResult, sweepSnapshots } from './snapshot-sweep.js';
export { formatBytes, spaceShortage } from './space.js';
export { vmBackupJob } from './vm-backup.js';
export { warmBackupThreads } from './warm-threads.js';
