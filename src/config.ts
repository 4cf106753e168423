/** @module config: the app's settings, read once from the environment and validated with zod. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalText.pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  ),
  DATA_DIR: z.string().min(1).default('./data'),
  BACKUP_DIR: optionalText,
  APP_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  APP_SECRET_FILE: optionalText,
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  ADMIN_USERNAME: optionalText,
  ADMIN_PASSWORD: optionalText.pipe(z.string().min(8, 'must be at least 8 characters').optional()),
  INVENTORY_SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
  VSPHERE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(30),
  SECURE_COOKIES: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  JOB_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JOB_CONCURRENCY_PER_HOST: z.coerce.number().int().min(1).max(64).default(1),
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(86_400).default(30),
  BACKUP_RETENTION_COUNT: z.coerce.number().int().min(1).max(10_000).default(7),
  ACTIVE_FULL_EVERY: z.coerce.number().int().min(0).max(10_000).default(0),
  FAILOVER_TEST_NETWORK: z.string().trim().min(1).default('VM Network Isolated'),
  LAB_NETWORK_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  FAILOVER_MONITOR_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
  AUTO_FAILOVER_THRESHOLD_SECONDS: z.coerce.number().min(0).max(86_400).optional(),
  REPLICATION_SCHEDULER_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(15),
  DB_BACKUP_DIR: optionalText,
  DB_BACKUP_RETENTION: z.coerce.number().int().min(1).max(10_000).default(14),
  PG_DUMP_PATH: optionalText,
  METRICS_TOKEN: optionalText,
  VERIFICATION_BOOT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  VERIFICATION_NO_TOOLS_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  VERIFICATION_CHECK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
  VERIFICATION_SCHEDULER_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
  REPOSITORY_VERIFY_INTERVAL_DAYS: z.coerce.number().min(0).max(3650).default(7),
  BACKUP_JOB_SCHEDULER_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(15),
  PUBLIC_URL: optionalText.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  ),
  NOTIFY_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).max(86_400).default(30),
  NOTIFY_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  NOTIFY_WATCH_INTERVAL_SECONDS: z.coerce.number().min(0).max(86_400).default(60),
  REPLICATION_ERROR_NOTIFY_SECONDS: z.coerce
    .number()
    .min(0)
    .max(30 * 86_400)
    .default(1800),
  LOW_SPACE_PERCENT: z.coerce.number().min(0).max(100).default(10),
  NOTIFY_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
});

/** Validated settings. Paths are absolute; durations are in seconds. */
export interface Config {
  port: number;
  host: string;
  /** Real PostgreSQL server; undefined means embedded PGlite in `dataDir/pg`. */
  databaseUrl: string | undefined;
  dataDir: string;
  backupDir: string;
  /** Key material for signing cookies and encrypting ESXi credentials (AES-256-GCM). */
  appSecret: string;
  logLevel: (typeof LOG_LEVELS)[number];
  adminUsername: string | undefined;
  adminPassword: string | undefined;
  inventorySyncIntervalSeconds: number;
  vsphereTimeoutSeconds: number;
  secureCookies: boolean;
  /** How often an idle job runner looks for PENDING jobs, in milliseconds. */
  jobPollMs: number;
  /** Jobs running at once in the whole installation (every process sharing the database). */
  jobConcurrency: number;
  /** Jobs running at once on one ESXi host. */
  jobConcurrencyPerHost: number;
  /** Seconds between two lease renewals (and recovery passes) of a job runner. */
  jobHeartbeatSeconds: number;
  /** Seconds a job's lease lasts without renewal; after that its worker is taken for dead. */
  jobLeaseSeconds: number;
  /** `keep_last` of the default retention policy, for a VM without its own (src/backup/retention.ts). */
  backupRetentionCount: number;
  /** CBT: after this many incremental reads of a disk, the next backup reads it in full; 0: never. */
  activeFullEvery: number;
  /** Replication: isolated portgroup a test failover connects the replica to (`FAILOVER_TEST_NETWORK`). */
  failoverTestNetwork: string;
  /** Seconds between two passes of the lab network sweep (isolated test networks no VM uses); 0: start-up only. */
  labNetworkSweepIntervalSeconds: number;
  /** Replication: seconds between two probes of the source hosts (automatic failover); 0 turns it off. */
  failoverMonitorIntervalSeconds: number;
  /** Replication: overrides every replication's `auto_failover_threshold_minutes`, in seconds (tests). */
  autoFailoverThresholdSeconds: number | undefined;
  /** Replication: seconds between two passes of the scheduler (due replications); 0 turns it off. */
  replicationSchedulerIntervalSeconds: number;
  /** Where database backups go (`DB_BACKUP_DIR`, default `DATA_DIR/db-backups`); created on first use. */
  dbBackupDir: string;
  /** Database backups kept (`DB_BACKUP_RETENTION`); older ones are deleted after each successful backup. */
  dbBackupRetention: number;
  /** `PG_DUMP_PATH`: the pg_dump binary; undefined: looked up in PATH at each run (src/db-backup/tools.ts). */
  pgDumpPath: string | undefined;
  /** When set, `GET /api/metrics` requires `Authorization: Bearer <token>`; unset, it is open (seed section 1). */
  metricsToken: string | undefined;
  /** SureBackup: seconds a verification VM has to boot (heartbeat, Tools or IP) before it is failed. */
  verificationBootTimeoutSeconds: number;
  /** SureBackup: seconds a guest without VMware Tools must stay powered on to count as booted. */
  verificationNoToolsGraceSeconds: number;
  /** SureBackup: timeout of one ping, TCP or HTTP check, in seconds. */
  verificationCheckTimeoutSeconds: number;
  /** SureBackup: seconds between two scheduler passes (due schedules, after_backup); 0 turns it off. */
  verificationSchedulerIntervalSeconds: number;
  /** Repositories: days between two scheduled verifies of each repository; 0 turns the schedule off. */
  repositoryVerifyIntervalDays: number;
  /** Seconds between two passes of the backup job scheduler (due slots become runs); 0: off. */
  backupJobSchedulerIntervalSeconds: number;
  /** Base URL of the app as its users reach it, for links in notifications (`PUBLIC_URL`, no trailing slash). */
  publicUrl: string;
  /** Notifications: milliseconds between two passes of the delivery loop. */
  notifyPollMs: number;
  /** Notifications: attempts of one delivery before it is marked failed. */
  notifyAttempts: number;
  /** Notifications: delay before the first retry, in seconds; doubled after each failed attempt. */
  notifyRetryBaseSeconds: number;
  /** Notifications: seconds a claimed delivery stays leased to its process (then another one resumes it). */
  notifyLeaseSeconds: number;
  /** Notifications: seconds between two passes of the watcher (replication errors, low space, summaries); 0: off. */
  notifyWatchIntervalSeconds: number;
  /** Notifications: seconds a replication stays in error before `replication.error` is sent. */
  replicationErrorNotifySeconds: number;
  /** Notifications: free space (percent) under which a storage path sends `storage.low_space`. */
  lowSpacePercent: number;
  /** Notifications: days the outbox keeps an event whose deliveries are all done. */
  notifyRetentionDays: number;
}

/** A bad setting, with a message that fits on one line, e.g. `PORT: must be at most 65535`. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the settings.
 * @param env the environment, usually `process.env`.
 * @returns the settings; creates `DATA_DIR` and, when no secret is given, `DATA_DIR/app-secret` (once, mode 0600).
 * @throws ConfigError naming the first bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  if (e.ADMIN_USERNAME && !e.ADMIN_PASSWORD)
    throw new ConfigError('ADMIN_PASSWORD: required with ADMIN_USERNAME');
  if (e.JOB_LEASE_SECONDS < 2 * e.JOB_HEARTBEAT_SECONDS)
    throw new ConfigError('JOB_LEASE_SECONDS: must be at least twice JOB_HEARTBEAT_SECONDS');
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    backupDir: path.resolve(e.BACKUP_DIR ?? path.join(dataDir, 'backups')),
    appSecret: e.APP_SECRET ?? readSecretFile(e.APP_SECRET_FILE) ?? generatedSecret(dataDir),
    logLevel: e.LOG_LEVEL,
    adminUsername: e.ADMIN_USERNAME,
    adminPassword: e.ADMIN_PASSWORD,
    inventorySyncIntervalSeconds: e.INVENTORY_SYNC_INTERVAL_SECONDS,
    vsphereTimeoutSeconds: e.VSPHERE_TIMEOUT_SECONDS,
    secureCookies: e.SECURE_COOKIES,
    jobPollMs: e.JOB_POLL_MS,
    jobConcurrency: e.JOB_CONCURRENCY,
    jobConcurrencyPerHost: e.JOB_CONCURRENCY_PER_HOST,
    jobHeartbeatSeconds: e.JOB_HEARTBEAT_SECONDS,
    jobLeaseSeconds: e.JOB_LEASE_SECONDS,
    backupRetentionCount: e.BACKUP_RETENTION_COUNT,
    activeFullEvery: e.ACTIVE_FULL_EVERY,
    failoverTestNetwork: e.FAILOVER_TEST_NETWORK,
    labNetworkSweepIntervalSeconds: e.LAB_NETWORK_SWEEP_INTERVAL_SECONDS,
    failoverMonitorIntervalSeconds: e.FAILOVER_MONITOR_INTERVAL_SECONDS,
    autoFailoverThresholdSeconds: e.AUTO_FAILOVER_THRESHOLD_SECONDS,
    replicationSchedulerIntervalSeconds: e.REPLICATION_SCHEDULER_INTERVAL_SECONDS,
    dbBackupDir: path.resolve(e.DB_BACKUP_DIR ?? path.join(dataDir, 'db-backups')),
    dbBackupRetention: e.DB_BACKUP_RETENTION,
    pgDumpPath: e.PG_DUMP_PATH,
    metricsToken: e.METRICS_TOKEN,
    verificationBootTimeoutSeconds: e.VERIFICATION_BOOT_TIMEOUT_SECONDS,
    verificationNoToolsGraceSeconds: e.VERIFICATION_NO_TOOLS_GRACE_SECONDS,
    verificationCheckTimeoutSeconds: e.VERIFICATION_CHECK_TIMEOUT_SECONDS,
    verificationSchedulerIntervalSeconds: e.VERIFICATION_SCHEDULER_INTERVAL_SECONDS,
    repositoryVerifyIntervalDays: e.REPOSITORY_VERIFY_INTERVAL_DAYS,
    backupJobSchedulerIntervalSeconds: e.BACKUP_JOB_SCHEDULER_INTERVAL_SECONDS,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT || 8000}`).replace(/\/+$/, ''),
    notifyPollMs: e.NOTIFY_POLL_MS,
    notifyAttempts: e.NOTIFY_ATTEMPTS,
    notifyRetryBaseSeconds: e.NOTIFY_RETRY_BASE_SECONDS,
    notifyLeaseSeconds: e.NOTIFY_LEASE_SECONDS,
    notifyWatchIntervalSeconds: e.NOTIFY_WATCH_INTERVAL_SECONDS,
    replicationErrorNotifySeconds: e.REPLICATION_ERROR_NOTIFY_SECONDS,
    lowSpacePercent: e.LOW_SPACE_PERCENT,
    notifyRetentionDays: e.NOTIFY_RETENTION_DAYS,
  };
}

function readSecretFile(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new ConfigError('APP_SECRET_FILE: the secret must be at least 32 characters');
  return secret;
}

function generatedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'app-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}
