/**
 * @module db/schema: the tables, named after the seeds' models (ESXiServer, VirtualMachine, Datastore,
 * StoragePath) with snake_case columns. One schema serves PostgreSQL 15+ and PGlite.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 5 (data model)
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ScheduleSpec } from '../schedule/schedule.js';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  password_hash: text('password_hash').notNull(),
  role: text('role', { enum: ROLES }).notNull().default('viewer'),
  is_active: boolean('is_active').notNull().default(true),
  last_login_at: timestamp('last_login_at', { withTimezone: true }),
  created_at: createdAt(),
});

/** Server-side sessions: the cookie carries a random id, the table keeps only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id_hash: text('id_hash').primaryKey(),
    user_id: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrf_token: text('csrf_token').notNull(),
    created_at: createdAt(),
    expires_at: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.user_id)],
);

/** API tokens (`Authorization: Token <key>`), stored as SHA-256 of the key. */
export const api_tokens = pgTable('api_tokens', {
  id: serial('id').primaryKey(),
  user_id: integer('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull().default('api'),
  key_hash: text('key_hash').notNull().unique(),
  created_at: createdAt(),
  last_used_at: timestamp('last_used_at', { withTimezone: true }),
});

export const PROTOCOLS = ['https', 'http'] as const;
export const CONNECTION_STATUSES = ['unknown', 'connected', 'error'] as const;

/** ESXiServer: a registered host. `password_encrypted` is AES-256-GCM, never returned. */
export const esxi_servers = pgTable('esxi_servers', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  hostname: text('hostname').notNull(),
  port: integer('port').notNull().default(443),
  protocol: text('protocol', { enum: PROTOCOLS }).notNull().default('https'),
  username: text('username').notNull(),
  password_encrypted: text('password_encrypted').notNull(),
  is_active: boolean('is_active').notNull().default(true),
  /** SHA-256 fingerprint of the host certificate, pinned at registration (trust on first use). */
  thumbprint: text('thumbprint'),
  version: text('version'),
  build: text('build'),
  full_name: text('full_name'),
  api_version: text('api_version'),
  datacenter: text('datacenter'),
  connection_status: text('connection_status', { enum: CONNECTION_STATUSES }).notNull().default('unknown'),
  last_error: text('last_error'),
  last_sync_at: timestamp('last_sync_at', { withTimezone: true }),
  created_at: createdAt(),
  updated_at: updatedAt(),
});

export const datastores = pgTable(
  'datastores',
  {
    id: serial('id').primaryKey(),
    esxi_server_id: integer('esxi_server_id')
      .notNull()
      .references(() => esxi_servers.id, { onDelete: 'cascade' }),
    moref: text('moref').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull().default(''),
    url: text('url').notNull().default(''),
    capacity_bytes: bigint('capacity_bytes', { mode: 'number' }).notNull().default(0),
    free_bytes: bigint('free_bytes', { mode: 'number' }).notNull().default(0),
    accessible: boolean('accessible').notNull().default(true),
    updated_at: updatedAt(),
  },
  (t) => [uniqueIndex('datastores_server_moref_idx').on(t.esxi_server_id, t.moref)],
);

export interface VirtualDisk {
  key: number;
  label: string;
  file_name: string;
  capacity_bytes: number;
  datastore: string;
  thin: boolean | null;
}
export interface VmFile {
  name: string;
  type: string;
  size_bytes: number;
}
export interface VmSnapshot {
  moref: string;
  name: string;
  description: string;
  created_at: string;
  parent: string | null;
}

/** Proxmox Backup Server's prune options, in the order it applies them. @see src/repository/prune.ts */
export const RETENTION_OPTIONS = [
  'keep_last',
  'keep_hourly',
  'keep_daily',
  'keep_weekly',
  'keep_monthly',
  'keep_yearly',
] as const;

/**
 * A VM's own retention policy: each prune option a count (0: unused). Null on the VM: the default policy
 * (`keep_last` = BACKUP_RETENTION_COUNT). @see src/backup/retention.ts
 */
export type RetentionPolicy = Record<(typeof RETENTION_OPTIONS)[number], number>;

export const virtual_machines = pgTable(
  'virtual_machines',
  {
    id: serial('id').primaryKey(),
    esxi_server_id: integer('esxi_server_id')
      .notNull()
      .references(() => esxi_servers.id, { onDelete: 'cascade' }),
    moref: text('moref').notNull(),
    name: text('name').notNull(),
    power_state: text('power_state').notNull().default('poweredOff'),
    guest_os: text('guest_os').notNull().default(''),
    guest_id: text('guest_id').notNull().default(''),
    num_cpu: integer('num_cpu').notNull().default(0),
    memory_mb: integer('memory_mb').notNull().default(0),
    uuid: text('uuid').notNull().default(''),
    instance_uuid: text('instance_uuid').notNull().default(''),
    vmx_path: text('vmx_path').notNull().default(''),
    datastore: text('datastore').notNull().default(''),
    tools_status: text('tools_status').notNull().default(''),
    ip_address: text('ip_address'),
    disks: jsonb('disks').$type<VirtualDisk[]>().notNull().default(sql`'[]'::jsonb`),
    files: jsonb('files').$type<VmFile[]>().notNull().default(sql`'[]'::jsonb`),
    snapshots: jsonb('snapshots').$type<VmSnapshot[]>().notNull().default(sql`'[]'::jsonb`),
    /** False once the VM is no longer on its host; kept so that its backups keep their owner. */
    is_present: boolean('is_present').notNull().default(true),
    /** The VM's retention policy; null: the default (not touched by inventory sync). */
    retention: jsonb('retention').$type<RetentionPolicy>(),
    /** config.changeTrackingEnabled as the host reports it (CBT asked; in force from the VM's next snapshot). */
    change_tracking_enabled: boolean('change_tracking_enabled').notNull().default(false),
    updated_at: updatedAt(),
  },
  (t) => [
    uniqueIndex('virtual_machines_server_moref_idx').on(t.esxi_server_id, t.moref),
    index('virtual_machines_name_idx').on(t.name),
  ],
);

/** StoragePath: a backup destination (a directory the app writes backups into). */
export const storage_paths = pgTable('storage_paths', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  path: text('path').notNull(),
  storage_type: text('storage_type', { enum: ['local', 'nfs', 'smb'] })
    .notNull()
    .default('local'),
  description: text('description').notNull().default(''),
  is_active: boolean('is_active').notNull().default(true),
  /** The repository in this directory is encrypted (chosen when it is created). */
  encrypted: boolean('encrypted').notNull().default(false),
  /**
   * The repository's master key sealed with APP_SECRET (secret box purpose `repository-keys`), so that
   * scheduled backups run unattended. Never in an API answer, a page or a log.
   */
  repository_key_sealed: text('repository_key_sealed'),
  last_verified_at: timestamp('last_verified_at', { withTimezone: true }),
  last_gc_at: timestamp('last_gc_at', { withTimezone: true }),
  /**
   * Chunk files and their bytes as last measured (after a GC or a verify), at `repository_measured_at`;
   * the physical size adds the bytes written by restore points made since (no walk per request).
   */
  chunk_count: bigint('chunk_count', { mode: 'number' }),
  chunk_bytes: bigint('chunk_bytes', { mode: 'number' }),
  repository_measured_at: timestamp('repository_measured_at', { withTimezone: true }),
  created_at: createdAt(),
  updated_at: updatedAt(),
});

export const JOB_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JOB_TYPES = [
  'vm_backup',
  'restore',
  'replication',
  'failover',
  'verification',
  'db_backup',
  'repository_verify',
  'repository_gc',
  'backup_job',
  'snapshot_create',
  'snapshot_revert',
  'snapshot_remove',
  'ovf_export',
  'ovf_import',
] as const;
export type JobType = (typeof JOB_TYPES)[number];

/**
 * Durable jobs: every long operation (backup, restore; later replication, verification, database backup).
 * A worker claims a PENDING row with FOR UPDATE SKIP LOCKED and holds a lease it renews by heartbeat;
 * a lease that expires means the worker died, and the job is failed as interrupted.
 * @see ../shared/seeds/001_6fc4b72f13242881.txt (operations tracking), 003_e1959c7fd3d0bcac.txt (statuses)
 */
export const jobs = pgTable(
  'jobs',
  {
    id: serial('id').primaryKey(),
    type: text('type', { enum: JOB_TYPES }).notNull(),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('PENDING'),
    /** What the operations widget names: usually the VM's name. */
    target_label: text('target_label').notNull().default(''),
    /** Host the job works on, for the per-host concurrency limit. */
    esxi_server_id: integer('esxi_server_id').references(() => esxi_servers.id, { onDelete: 'set null' }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** Percent 0-100. */
    progress: integer('progress').notNull().default(0),
    bytes_done: bigint('bytes_done', { mode: 'number' }).notNull().default(0),
    bytes_total: bigint('bytes_total', { mode: 'number' }).notNull().default(0),
    /** The current step, as shown to the user. */
    step: text('step').notNull().default(''),
    error: text('error'),
    cancel_requested: boolean('cancel_requested').notNull().default(false),
    lease_owner: text('lease_owner'),
    lease_expires_at: timestamp('lease_expires_at', { withTimezone: true }),
    created_by: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    created_at: createdAt(),
    started_at: timestamp('started_at', { withTimezone: true }),
    finished_at: timestamp('finished_at', { withTimezone: true }),
    updated_at: updatedAt(),
  },
  (t) => [
    index('jobs_status_idx').on(t.status, t.id),
    index('jobs_type_idx').on(t.type, t.created_at),
    // The operations widget asks, every second per open tab, for jobs finished in the last seconds.
    index('jobs_finished_idx').on(t.finished_at),
  ],
);

/**
 * VMBackupJob: one backup of one VM into a storage path. Its status, progress and error live on its job.
 * `backup_dir` is set only once the backup is complete (written under a temporary name, then renamed).
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt (VMBackupJob), 003_e1959c7fd3d0bcac.txt
 */
export const vm_backups = pgTable(
  'vm_backups',
  {
    id: serial('id').primaryKey(),
    job_id: integer('job_id')
      .notNull()
      .unique()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    virtual_machine_id: integer('virtual_machine_id').references(() => virtual_machines.id, {
      onDelete: 'set null',
    }),
    /** Kept when the VM row goes, so the history still names it. */
    vm_name: text('vm_name').notNull(),
    esxi_server_id: integer('esxi_server_id').references(() => esxi_servers.id, { onDelete: 'set null' }),
    storage_path_id: integer('storage_path_id').references(() => storage_paths.id, { onDelete: 'set null' }),
    quiesce: boolean('quiesce').notNull().default(false),
    snapshot_name: text('snapshot_name').notNull().default(''),
    backup_dir: text('backup_dir'),
    size_bytes: bigint('size_bytes', { mode: 'number' }).notNull().default(0),
    file_count: integer('file_count').notNull().default(0),
    /** SHA-256 of manifest.json (directory) or of the index file (repository), so tampering is caught. */
    manifest_sha256: text('manifest_sha256'),
    /** `directory`: the legacy layout (`backup_dir` holds the files); `repository`: a restore point (index). */
    format: text('format', { enum: ['directory', 'repository'] })
      .notNull()
      .default('directory'),
    /** Absolute path of the restore point's index file (`repository` format). */
    index_path: text('index_path'),
    /** Bytes read from the datastore. */
    bytes_read: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    /** Chunk blob bytes newly written (after compression and deduplication). */
    bytes_written: bigint('bytes_written', { mode: 'number' }).notNull().default(0),
    /** Sum of the sizes of the restore point's files. */
    logical_bytes: bigint('logical_bytes', { mode: 'number' }).notNull().default(0),
    verification_state: text('verification_state', { enum: ['unverified', 'ok', 'corrupt'] })
      .notNull()
      .default('unverified'),
    verified_at: timestamp('verified_at', { withTimezone: true }),
    /** Files hit by corrupt chunks, as the last verify found them. */
    corrupt_files: jsonb('corrupt_files').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** `incremental`: a disk was read only where CBT reported changes since the previous restore point. */
    mode: text('mode', { enum: ['full', 'incremental'] })
      .notNull()
      .default('full'),
    /** Bytes CBT reported (changed, or in use for a first read), null when CBT was not used. */
    changed_bytes: bigint('changed_bytes', { mode: 'number' }),
    /** Why a disk of a VM with CBT was read in full (backup/cbt-plan.ts `FallbackReason`), null otherwise. */
    cbt_fallback_reason: text('cbt_fallback_reason'),
    created_at: createdAt(),
  },
  (t) => [index('vm_backups_vm_idx').on(t.virtual_machine_id, t.created_at)],
);

/** A restore of a completed backup to a host and datastore under a new name. */
export const restores = pgTable('restores', {
  id: serial('id').primaryKey(),
  job_id: integer('job_id')
    .notNull()
    .unique()
    .references(() => jobs.id, { onDelete: 'cascade' }),
  vm_backup_id: integer('vm_backup_id').references(() => vm_backups.id, { onDelete: 'set null' }),
  esxi_server_id: integer('esxi_server_id').references(() => esxi_servers.id, { onDelete: 'set null' }),
  datastore: text('datastore').notNull(),
  vm_name: text('vm_name').notNull(),
  power_on: boolean('power_on').notNull().default(false),
  /** MoRef value of the registered VM, once registered. */
  vm_moref: text('vm_moref'),
  created_at: createdAt(),
});

/**
 * Every snapshot the app creates, recorded before it is created and marked when removed, so that a sweep
 * removes what a crash left behind.
 */
export const snapshot_ledger = pgTable(
  'snapshot_ledger',
  {
    id: serial('id').primaryKey(),
    esxi_server_id: integer('esxi_server_id')
      .notNull()
      .references(() => esxi_servers.id, { onDelete: 'cascade' }),
    vm_moref: text('vm_moref').notNull(),
    snapshot_name: text('snapshot_name').notNull(),
    snapshot_moref: text('snapshot_moref'),
    job_id: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    created_at: createdAt(),
    removed_at: timestamp('removed_at', { withTimezone: true }),
    last_error: text('last_error'),
  },
  (t) => [index('snapshot_ledger_open_idx').on(t.removed_at)],
);

export const REPLICATION_STATUSES = ['active', 'paused', 'error', 'syncing'] as const;
export const FAILOVER_MODES = ['manual', 'automatic', 'test'] as const;

/**
 * VMReplication: a VM copied on a schedule to a second host, ready to fail over to.
 * One replication per (VM, destination server); source and destination differ.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2
 */
export const vm_replications = pgTable(
  'vm_replications',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    virtual_machine_id: integer('virtual_machine_id')
      .notNull()
      .references(() => virtual_machines.id, { onDelete: 'cascade' }),
    source_server_id: integer('source_server_id')
      .notNull()
      .references(() => esxi_servers.id, { onDelete: 'cascade' }),
    destination_server_id: integer('destination_server_id')
      .notNull()
      .references(() => esxi_servers.id, { onDelete: 'cascade' }),
    destination_datastore: text('destination_datastore').notNull(),
    replication_interval_minutes: integer('replication_interval_minutes').notNull().default(15),
    status: text('status', { enum: REPLICATION_STATUSES }).notNull().default('active'),
    failover_mode: text('failover_mode', { enum: FAILOVER_MODES }).notNull().default('manual'),
    auto_failover_threshold_minutes: integer('auto_failover_threshold_minutes').notNull().default(5),
    last_replication_at: timestamp('last_replication_at', { withTimezone: true }),
    last_replication_duration_seconds: integer('last_replication_duration_seconds'),
    total_replicated_size_mb: doublePrecision('total_replicated_size_mb').notNull().default(0),
    is_active: boolean('is_active').notNull().default(true),
    /** The replica on the destination: `<vm>_replica`, its MoRef once registered. */
    replica_name: text('replica_name').notNull().default(''),
    replica_vm_moref: text('replica_vm_moref'),
    last_error: text('last_error'),
    next_run_at: timestamp('next_run_at', { withTimezone: true }),
    /** When the monitor first found the source host unreachable (automatic failover); null while it answers. */
    source_unreachable_since: timestamp('source_unreachable_since', { withTimezone: true }),
    /** The disks (descriptor file names, sorted) the replica was made with: a refresh carries only these. */
    replicated_disks: jsonb('replicated_disks').$type<string[]>(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    uniqueIndex('vm_replications_vm_destination_idx').on(t.virtual_machine_id, t.destination_server_id),
  ],
);

export const FAILOVER_STATUSES = ['initiated', 'in_progress', 'completed', 'failed', 'rolled_back'] as const;

/** One step of a failover, as logged on its event: `message` is a Message (a plain sentence in older rows). */
export interface FailoverStepLog {
  at: string;
  step: string;
  message: string | import('../i18n/message.js').Message;
  ok: boolean;
}

/**
 * FailoverEvent: one failover (manual, automatic or test) of a replication, with its step log.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (FailoverEvent, failover process)
 */
export const failover_events = pgTable('failover_events', {
  id: serial('id').primaryKey(),
  replication_id: integer('replication_id')
    .notNull()
    .references(() => vm_replications.id, { onDelete: 'cascade' }),
  failover_type: text('failover_type', { enum: FAILOVER_MODES }).notNull(),
  status: text('status', { enum: FAILOVER_STATUSES }).notNull().default('initiated'),
  reason: text('reason').notNull().default(''),
  source_vm_powered_off: boolean('source_vm_powered_off').notNull().default(false),
  destination_vm_powered_on: boolean('destination_vm_powered_on').notNull().default(false),
  error_message: text('error_message').notNull().default(''),
  triggered_by: integer('triggered_by').references(() => users.id, { onDelete: 'set null' }),
  step_log: jsonb('step_log').$type<FailoverStepLog[]>().notNull().default(sql`'[]'::jsonb`),
  job_id: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
  started_at: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  completed_at: timestamp('completed_at', { withTimezone: true }),
});

export const TEST_TYPES = ['boot', 'boot_ping', 'boot_ping_services', 'full'] as const;
export const VERIFICATION_STATUSES = ['pending', 'running', 'passed', 'failed', 'warning'] as const;
export const VERIFICATION_FREQUENCIES = ['daily', 'weekly', 'monthly', 'after_backup'] as const;
/** What a schedule verifies: restore points, or completed OVF exports (imported on the test host). */
export const VERIFICATION_SOURCES = ['vm_backup', 'ovf_export'] as const;

/** A user-defined HTTP check of a `full` verification. */
export interface HttpCheck {
  path: string;
  port?: number;
  expected_status: number;
  expected_text?: string;
}

/**
 * BackupVerificationSchedule: verifies backups (or OVF exports) of one VM (or of every VM when null) on a schedule.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3
 */
export const verification_schedules = pgTable('verification_schedules', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  virtual_machine_id: integer('virtual_machine_id').references(() => virtual_machines.id, {
    onDelete: 'cascade',
  }),
  esxi_server_id: integer('esxi_server_id')
    .notNull()
    .references(() => esxi_servers.id, { onDelete: 'cascade' }),
  frequency: text('frequency', { enum: VERIFICATION_FREQUENCIES }).notNull(),
  /** `vm_backup`: the VM's newest restore point (timed) or each new one (after_backup); `ovf_export`: the same with its completed OVF exports. */
  source: text('source', { enum: VERIFICATION_SOURCES }).notNull().default('vm_backup'),
  test_type: text('test_type', { enum: TEST_TYPES }).notNull().default('boot'),
  test_network: text('test_network').notNull().default('VM Network Isolated'),
  test_datastore: text('test_datastore').notNull().default(''),
  services: jsonb('services').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  is_active: boolean('is_active').notNull().default(true),
  last_run_at: timestamp('last_run_at', { withTimezone: true }),
  next_run_at: timestamp('next_run_at', { withTimezone: true }),
  created_at: createdAt(),
  updated_at: updatedAt(),
});

/**
 * BackupVerification (SureBackup): restore a backup in an isolated network, boot it, check it, clean up.
 * Exactly one of `ovf_export_id` (OVF exports, a later feature) and `vm_backup_id` is set.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3
 */
export const backup_verifications = pgTable(
  'backup_verifications',
  {
    id: serial('id').primaryKey(),
    ovf_export_id: integer('ovf_export_id'),
    vm_backup_id: integer('vm_backup_id').references(() => vm_backups.id, { onDelete: 'cascade' }),
    esxi_server_id: integer('esxi_server_id').references(() => esxi_servers.id, { onDelete: 'set null' }),
    schedule_id: integer('schedule_id').references(() => verification_schedules.id, { onDelete: 'set null' }),
    job_id: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    test_type: text('test_type', { enum: TEST_TYPES }).notNull().default('boot'),
    status: text('status', { enum: VERIFICATION_STATUSES }).notNull().default('pending'),
    vm_restored: boolean('vm_restored').notNull().default(false),
    vm_booted: boolean('vm_booted').notNull().default(false),
    boot_time_seconds: integer('boot_time_seconds'),
    ping_successful: boolean('ping_successful'),
    /** Services to check (`ssh`, `http`, ..., `custom_8080`) and, for `full`, HTTP checks. */
    requested_services: jsonb('requested_services').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    http_checks: jsonb('http_checks').$type<HttpCheck[]>().notNull().default(sql`'[]'::jsonb`),
    services_checked: jsonb('services_checked')
      .$type<Record<string, boolean>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    test_network: text('test_network').notNull().default('VM Network Isolated'),
    test_datastore: text('test_datastore').notNull().default(''),
    test_vm_name: text('test_vm_name'),
    test_vm_moref: text('test_vm_moref'),
    vm_cleanup_done: boolean('vm_cleanup_done').notNull().default(false),
    detailed_log: text('detailed_log').notNull().default(''),
    error_message: text('error_message').notNull().default(''),
    total_duration_seconds: integer('total_duration_seconds'),
    started_at: timestamp('started_at', { withTimezone: true }),
    completed_at: timestamp('completed_at', { withTimezone: true }),
    created_at: createdAt(),
  },
  (t) => [index('backup_verifications_backup_idx').on(t.vm_backup_id, t.created_at)],
);

/** Life of a lab network: `creating` (row written, switch and portgroup being made), `ready`, `removing`, `removed`. */
export const LAB_NETWORK_STATES = ['creating', 'ready', 'removing', 'removed'] as const;
export type LabNetworkState = (typeof LAB_NETWORK_STATES)[number];

/**
 * The virtual lab network ledger: each isolated standard vSwitch (no physical uplink) and portgroup the app
 * creates on a host for test VMs (test failovers, SureBackup), written BEFORE they are created and marked
 * `removed` once both are gone, so that a crash never leaves one unrecorded. One open row per host and
 * portgroup name; `lab_network_users` says which job and VM use it.
 * @see src/lab-network/ (acquire, release, sweep)
 */
export const lab_networks = pgTable(
  'lab_networks',
  {
    id: serial('id').primaryKey(),
    esxi_server_id: integer('esxi_server_id')
      .notNull()
      .references(() => esxi_servers.id, { onDelete: 'cascade' }),
    portgroup_name: text('portgroup_name').notNull(),
    vswitch_name: text('vswitch_name').notNull(),
    state: text('state', { enum: LAB_NETWORK_STATES }).notNull().default('creating'),
    /** When `state` last changed: a `creating` or `removing` row left this long by a dead process is swept. */
    state_changed_at: timestamp('state_changed_at', { withTimezone: true }).notNull().defaultNow(),
    /** Why the last creation or removal failed, as a stored message; the sweep retries. */
    last_error: text('last_error'),
    created_at: createdAt(),
    removed_at: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('lab_networks_open_idx')
      .on(t.esxi_server_id, t.portgroup_name)
      .where(sql`${t.removed_at} is null`),
  ],
);

export const LAB_NETWORK_USER_KINDS = ['failover', 'verification'] as const;
export type LabNetworkUserKind = (typeof LAB_NETWORK_USER_KINDS)[number];

/**
 * One use of a lab network by a test VM (reference count: the network is removed when no row is open).
 * `owner_id` is the failover event or the verification whose log says what was created and removed.
 */
export const lab_network_users = pgTable(
  'lab_network_users',
  {
    id: serial('id').primaryKey(),
    lab_network_id: integer('lab_network_id')
      .notNull()
      .references(() => lab_networks.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: LAB_NETWORK_USER_KINDS }).notNull(),
    owner_id: integer('owner_id').notNull(),
    job_id: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    vm_name: text('vm_name').notNull(),
    acquired_at: timestamp('acquired_at', { withTimezone: true }).notNull().defaultNow(),
    released_at: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [index('lab_network_users_network_idx').on(t.lab_network_id, t.released_at)],
);

/** One network adapter of a test VM as it was before a test moved it: device key, label, MAC, portgroup. */
export interface LabMovedNic {
  /** VirtualDevice.key (stable for the VM, e.g. 4000). */
  key: number;
  label: string;
  mac_address: string;
  /** The portgroup (VirtualEthernetCardNetworkBackingInfo.deviceName) it was on. */
  network: string;
}

/**
 * A test VM's network adapters moved onto a test network (a test failover's replica): their original backing is
 * written BEFORE the ReconfigVM_Task, so that once the test is over (replica off, or a real failover) each
 * adapter goes back to its own portgroup. At most one open row per host and VM (`closed_at` null): closed when
 * the adapters are back, the VM is gone, or a newer test took over its record.
 * @see src/lab-network/nics.ts
 */
export const lab_nic_moves = pgTable(
  'lab_nic_moves',
  {
    id: serial('id').primaryKey(),
    esxi_server_id: integer('esxi_server_id')
      .notNull()
      .references(() => esxi_servers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: LAB_NETWORK_USER_KINDS }).notNull(),
    /** The failover event or verification whose log says what was moved back. */
    owner_id: integer('owner_id').notNull(),
    job_id: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    vm_name: text('vm_name').notNull(),
    vm_moref: text('vm_moref').notNull(),
    /** The test portgroup the adapters were moved onto. */
    test_portgroup: text('test_portgroup').notNull(),
    original_nics: jsonb('original_nics').$type<LabMovedNic[]>().notNull().default(sql`'[]'::jsonb`),
    moved_at: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow(),
    closed_at: timestamp('closed_at', { withTimezone: true }),
    /** Why the last attempt to move the adapters back failed, as a stored message; the sweep retries. */
    last_error: text('last_error'),
  },
  (t) => [
    uniqueIndex('lab_nic_moves_open_idx').on(t.esxi_server_id, t.vm_moref).where(sql`${t.closed_at} is null`),
    index('lab_nic_moves_job_idx').on(t.job_id),
  ],
);

/** How a backup job run started: its schedule's slot, a user's Run now, or a slot missed while the app was down. */
export const BACKUP_JOB_TRIGGERS = ['schedule', 'manual', 'missed'] as const;
export const BACKUP_JOB_RUN_STATUSES = ['running', 'success', 'warning', 'failed', 'cancelled'] as const;
export type BackupJobRunStatus = (typeof BACKUP_JOB_RUN_STATUSES)[number];
export const BACKUP_JOB_VM_STATUSES = [
  'pending',
  'running',
  'success',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type BackupJobVmStatus = (typeof BACKUP_JOB_VM_STATUSES)[number];

/**
 * A backup job: which VMs (explicit ones, every VM of chosen hosts narrowed by name globs), where, how and when
 * they are backed up. The selection is evaluated at each run from the inventory. @see src/backup-jobs/
 */
export const backup_jobs = pgTable('backup_jobs', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  virtual_machine_ids: jsonb('virtual_machine_ids').$type<number[]>().notNull().default(sql`'[]'::jsonb`),
  esxi_server_ids: jsonb('esxi_server_ids').$type<number[]>().notNull().default(sql`'[]'::jsonb`),
  include_patterns: jsonb('include_patterns').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  exclude_patterns: jsonb('exclude_patterns').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  skip_powered_off: boolean('skip_powered_off').notNull().default(false),
  storage_path_id: integer('storage_path_id').references(() => storage_paths.id, { onDelete: 'set null' }),
  /** Prune rules applied after each VM's backup; null: each VM's own policy (or the default). */
  retention: jsonb('retention').$type<RetentionPolicy>(),
  quiesce: boolean('quiesce').notNull().default(false),
  use_change_tracking: boolean('use_change_tracking').notNull().default(true),
  max_parallel_vms: integer('max_parallel_vms').notNull().default(1),
  retry_count: integer('retry_count').notNull().default(0),
  retry_delay_seconds: integer('retry_delay_seconds').notNull().default(60),
  is_active: boolean('is_active').notNull().default(true),
  /** src/schedule ScheduleSpec; null: manual runs only. */
  schedule: jsonb('schedule').$type<ScheduleSpec>(),
  next_run_at: timestamp('next_run_at', { withTimezone: true }),
  last_run_at: timestamp('last_run_at', { withTimezone: true }),
  created_at: createdAt(),
  updated_at: updatedAt(),
});

/** One run (session) of a backup job, driven by its `backup_job` job. At most one `running` per backup job. */
export const backup_job_runs = pgTable(
  'backup_job_runs',
  {
    id: serial('id').primaryKey(),
    backup_job_id: integer('backup_job_id')
      .notNull()
      .references(() => backup_jobs.id, { onDelete: 'cascade' }),
    job_id: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    trigger: text('trigger', { enum: BACKUP_JOB_TRIGGERS }).notNull(),
    status: text('status', { enum: BACKUP_JOB_RUN_STATUSES }).notNull().default('running'),
    /** Stored message (src/i18n/message.ts) of a failed or cancelled run. */
    error: text('error'),
    started_at: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finished_at: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('backup_job_runs_job_idx').on(t.backup_job_id, t.id),
    uniqueIndex('backup_job_runs_one_running_idx').on(t.backup_job_id).where(sql`status = 'running'`),
  ],
);

/** One VM of a run: its latest attempt's restore point and outcome (copied from the backup when it ends). */
export const backup_job_run_vms = pgTable(
  'backup_job_run_vms',
  {
    id: serial('id').primaryKey(),
    run_id: integer('run_id')
      .notNull()
      .references(() => backup_job_runs.id, { onDelete: 'cascade' }),
    virtual_machine_id: integer('virtual_machine_id').references(() => virtual_machines.id, {
      onDelete: 'set null',
    }),
    vm_name: text('vm_name').notNull(),
    vm_backup_id: integer('vm_backup_id').references(() => vm_backups.id, { onDelete: 'set null' }),
    /** The `vm_backup` job of the latest attempt (kept when retention removes the backup row). */
    vm_job_id: integer('vm_job_id'),
    status: text('status', { enum: BACKUP_JOB_VM_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    bytes_read: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    bytes_written: bigint('bytes_written', { mode: 'number' }).notNull().default(0),
    mode: text('mode', { enum: ['full', 'incremental'] }),
    /** Stored message of the last attempt's error. */
    error: text('error'),
    started_at: timestamp('started_at', { withTimezone: true }),
    finished_at: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('backup_job_run_vms_run_idx').on(t.run_id)],
);

/**
 * A snapshot schedule: takes a snapshot of one VM at each slot of `schedule` (named `<name> YYYY-MM-DD HH:MM`
 * in its time zone), then removes its own oldest snapshots beyond `keep_last`. One run per slot across
 * processes: a conditional UPDATE of `next_run_at`. `last_error` is a stored message.
 * @see src/snapshots/scheduler.ts
 */
export const snapshot_schedules = pgTable(
  'snapshot_schedules',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    virtual_machine_id: integer('virtual_machine_id')
      .notNull()
      .references(() => virtual_machines.id, { onDelete: 'cascade' }),
    schedule: jsonb('schedule').$type<ScheduleSpec>().notNull(),
    keep_last: integer('keep_last').notNull().default(1),
    memory: boolean('memory').notNull().default(false),
    quiesce: boolean('quiesce').notNull().default(false),
    is_active: boolean('is_active').notNull().default(true),
    next_run_at: timestamp('next_run_at', { withTimezone: true }),
    last_run_at: timestamp('last_run_at', { withTimezone: true }),
    last_error: text('last_error'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [index('snapshot_schedules_due_idx').on(t.is_active, t.next_run_at)],
);

/**
 * Every snapshot a snapshot schedule made, by MoRef: the schedule only ever removes these (never an admin's or
 * a backup's, whatever their names). Written before CreateSnapshot_Task (`snapshot_moref` null: asked, not
 * confirmed yet) and completed from the task's result, or by reading the VM's tree after a crash.
 */
export const snapshot_schedule_snapshots = pgTable(
  'snapshot_schedule_snapshots',
  {
    id: serial('id').primaryKey(),
    schedule_id: integer('schedule_id')
      .notNull()
      .references(() => snapshot_schedules.id, { onDelete: 'cascade' }),
    vm_moref: text('vm_moref').notNull(),
    snapshot_name: text('snapshot_name').notNull(),
    snapshot_moref: text('snapshot_moref'),
    job_id: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    created_at: createdAt(),
  },
  (t) => [index('snapshot_schedule_snapshots_schedule_idx').on(t.schedule_id, t.created_at)],
);

export const NOTIFICATION_KINDS = ['email', 'webhook'] as const;
export const NOTIFICATION_LANGUAGES = ['fr', 'en'] as const;
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
/** Event types a channel chooses (issue 15); the `backup_job.*` ones come with backup jobs (issue 14). */
export const NOTIFICATION_EVENTS = [
  'backup_job.failed',
  'backup_job.warning',
  'backup_job.success',
  'replication.error',
  'failover.started',
  'failover.completed',
  'failover.failed',
  'verification.failed',
  'repository.corrupt',
  'storage.low_space',
  'db_backup.failed',
  'daily_summary',
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENTS)[number];

/** A channel's settings that are not secret (`email`: SMTP; `webhook`: URL and body format). */
export interface NotificationChannelConfig {
  host?: string;
  port?: number;
  security?: 'tls' | 'starttls' | 'none';
  username?: string;
  from?: string;
  to?: string[];
  ca_certificate?: string;
  url?: string;
  format?: 'generic' | 'slack' | 'teams' | 'ntfy' | 'gotify';
}

/**
 * What an event says, rendered in each channel's language at delivery: a title, lines (failures first), the
 * page it links to (a path under PUBLIC_URL), the facts a webhook carries as fields, and the PDF reports a
 * daily summary attaches when its channel asks for them.
 */
export interface NotificationContent {
  title: import('../i18n/message.js').Message;
  lines: import('../i18n/message.js').Message[];
  link: string | null;
  facts: Record<string, string | number | null>;
  severity: 'info' | 'warning' | 'error';
  reports?: Array<'protection' | 'verifications'>;
}

/**
 * A notification channel: an SMTP server and its recipients, or a webhook. Secrets (SMTP password, webhook
 * secret, Gotify token) are sealed together in `secrets_sealed` (secret box `notification-secrets`), never
 * returned, rendered or logged. The daily summary runs at `summary_time` in `summary_timezone`.
 */
export const notification_channels = pgTable('notification_channels', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
  language: text('language', { enum: NOTIFICATION_LANGUAGES }).notNull().default('fr'),
  events: jsonb('events').$type<NotificationEventType[]>().notNull().default(sql`'[]'::jsonb`),
  is_active: boolean('is_active').notNull().default(true),
  config: jsonb('config').$type<NotificationChannelConfig>().notNull().default(sql`'{}'::jsonb`),
  secrets_sealed: text('secrets_sealed'),
  summary_time: text('summary_time').notNull().default('08:00'),
  summary_timezone: text('summary_timezone').notNull().default('UTC'),
  attach_reports: boolean('attach_reports').notNull().default(false),
  /** The next daily summary; claimed by a conditional UPDATE so that one process sends it. */
  summary_next_at: timestamp('summary_next_at', { withTimezone: true }),
  created_at: createdAt(),
  updated_at: updatedAt(),
});

/** The outbox: one row per event, written with its deliveries in one statement. */
export const notification_events = pgTable(
  'notification_events',
  {
    id: serial('id').primaryKey(),
    type: text('type', { enum: NOTIFICATION_EVENTS }).notNull(),
    content: jsonb('content').$type<NotificationContent>().notNull(),
    created_at: createdAt(),
  },
  (t) => [index('notification_events_created_idx').on(t.created_at)],
);

/**
 * One delivery of an event to a channel (unique: never twice). The delivery loop claims a due row by setting
 * `lease_until`; a process that dies leaves the lease to expire and another one resumes it.
 */
export const notification_deliveries = pgTable(
  'notification_deliveries',
  {
    id: serial('id').primaryKey(),
    event_id: integer('event_id')
      .notNull()
      .references(() => notification_events.id, { onDelete: 'cascade' }),
    channel_id: integer('channel_id')
      .notNull()
      .references(() => notification_channels.id, { onDelete: 'cascade' }),
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    next_attempt_at: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lease_until: timestamp('lease_until', { withTimezone: true }),
    /** Why the last attempt failed, as a stored message. */
    last_error: text('last_error'),
    /** What the server answered last (SMTP response line or HTTP status). */
    response: text('response'),
    created_at: createdAt(),
    sent_at: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notification_deliveries_event_channel_idx').on(t.event_id, t.channel_id),
    index('notification_deliveries_due_idx').on(t.status, t.next_attempt_at),
    index('notification_deliveries_channel_idx').on(t.channel_id, t.id),
  ],
);

/**
 * Conditions that notify once per episode (`replication:<id>` in error, `storage:<id>` low on space): the row
 * exists while the condition holds; `notified_at` is set by the one process that emitted its event.
 */
export const notification_conditions = pgTable('notification_conditions', {
  key: text('key').primaryKey(),
  since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
  notified_at: timestamp('notified_at', { withTimezone: true }),
});

/** One file of an OVF package: name inside it, size (bytes), hex SHA-256. */
export interface OvfPackageFile {
  name: string;
  size_bytes: number;
  sha256: string;
}

export const OVF_FORMATS = ['ovf', 'ova'] as const;
export type OvfFormat = (typeof OVF_FORMATS)[number];
/** Where an export reads the VM: its host (ExportVm) or a restore point. */
export const OVF_SOURCES = ['host', 'restore_point'] as const;
export type OvfSource = (typeof OVF_SOURCES)[number];

/**
 * OVFExportJob: an OVF/OVA package of a VM, made straight from its host or from a restore point (src/ovf/).
 * Its status is its durable job's.
 * `export_dir` is where the package lands (written as `<export_dir>.partial`, renamed when complete);
 * `package_path` (the `.ova`, or the `.ovf`) is set only once complete.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt (OVFExportJob, BackupVerification.ovf_export)
 */
export const ovf_exports = pgTable(
  'ovf_exports',
  {
    id: serial('id').primaryKey(),
    job_id: integer('job_id')
      .notNull()
      .unique()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    virtual_machine_id: integer('virtual_machine_id').references(() => virtual_machines.id, {
      onDelete: 'set null',
    }),
    vm_backup_id: integer('vm_backup_id').references(() => vm_backups.id, { onDelete: 'set null' }),
    /** `host`: the powered-off VM straight from its host (ExportVm); `restore_point`: from `vm_backup_id`. */
    source: text('source', { enum: OVF_SOURCES }).notNull().default('restore_point'),
    /** Host of a `host` export. */
    esxi_server_id: integer('esxi_server_id').references(() => esxi_servers.id, { onDelete: 'set null' }),
    /** HttpNfcLease MoRef value of a `host` export while it is open, so a crash cleanup can abort it. */
    nfc_lease: text('nfc_lease'),
    /** Kept when the VM row goes, so the list still names it. */
    vm_name: text('vm_name').notNull(),
    storage_path_id: integer('storage_path_id').references(() => storage_paths.id, { onDelete: 'set null' }),
    format: text('format', { enum: OVF_FORMATS }).notNull().default('ovf'),
    export_dir: text('export_dir').notNull(),
    package_path: text('package_path'),
    files: jsonb('files').$type<OvfPackageFile[]>().notNull().default(sql`'[]'::jsonb`),
    /** Sum of the package files' sizes (bytes). */
    total_bytes: bigint('total_bytes', { mode: 'number' }).notNull().default(0),
    created_at: createdAt(),
  },
  (t) => [index('ovf_exports_vm_idx').on(t.virtual_machine_id)],
);

/**
 * An import of a completed OVF export to a host and datastore under a new name (src/ovf/import-job.ts).
 * Its status is its durable job's. `lease_moref` is the host's HttpNfcLease while the upload runs (cleared once
 * complete, so a cleanup after a dead worker aborts it and destroys `vm_moref`, the half-made VM).
 */
export const ovf_imports = pgTable(
  'ovf_imports',
  {
    id: serial('id').primaryKey(),
    job_id: integer('job_id')
      .notNull()
      .unique()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    ovf_export_id: integer('ovf_export_id').references(() => ovf_exports.id, { onDelete: 'set null' }),
    esxi_server_id: integer('esxi_server_id').references(() => esxi_servers.id, { onDelete: 'set null' }),
    datastore: text('datastore').notNull(),
    vm_name: text('vm_name').notNull(),
    power_on: boolean('power_on').notNull().default(false),
    /** MoRef value of the HttpNfcLease while the upload runs. */
    lease_moref: text('lease_moref'),
    /** MoRef value of the VM ImportVApp created. */
    vm_moref: text('vm_moref'),
    created_at: createdAt(),
  },
  (t) => [index('ovf_imports_export_idx').on(t.ovf_export_id)],
);
