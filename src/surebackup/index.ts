/**
 * @module surebackup: SureBackup verifications (restore a backup in an isolated network, boot it, check it,
 * clean up), their schedules and statistics. The job type plugs into the runner (src/jobs/definitions.ts); the
 * scheduler is started by src/index.ts; the routes live in src/http/api/backup-verifications.ts and
 * src/http/routes/surebackup.tsx.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3
 */
export { VM_PREFIX, verificationVmName } from './cleanup.js';
export { verificationJob } from './job.js';
export * from './schedule-claims.js';
export { FREQUENCY_PATTERNS, type Frequency, nextRunAt } from './schedule-time.js';
export { runSchedulerPass, startVerificationScheduler } from './scheduler.js';
export * from './schedules-db.js';
export { DEFAULT_SERVICES, SERVICE_PORTS, servicePort, servicesFor } from './services.js';
export { type VerificationStatistics, verificationStatistics } from './statistics.js';
