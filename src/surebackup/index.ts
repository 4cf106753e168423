/**
 * @module surebackup: SureBackup verifications (restore a backup in an isolated network, boot it, check it,
 * clean up), their schedules and statistics. The job type plugs into the runner (src/jobs/definitions.ts); the
 * scheduler is started by src/index.ts; the routes live in src/http/api/backup-verifications.ts and
 * src/http/routes/surebackup.tsx; the rows in src/db/verifications.ts and src/db/verification-schedules.ts.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3
 */
export { VM_PREFIX, verificationVmName } from './cleanup.js';
export { VerificationFailed } from './errors.js';
export { verificationJob } from './job.js';
export { scheduleById, verificationById } from './lookup.js';
export { FREQUENCY_PATTERNS, type Frequency, nextRunAt } from './schedule-time.js';
export { runSchedulerPass, startVerificationScheduler } from './scheduler.js';
export { createSchedule, updateSchedule } from './schedules.js';
export { DEFAULT_SERVICES, SERVICE_PORTS, serviceName, servicePort, servicesFor } from './services.js';
export { type VerificationStatistics, verificationStatistics } from './statistics.js';
