/**
 * @module http/openapi/schemas/backup-jobs: what `/api/backup-jobs/` and `/api/backup-job-runs/` answer (the
 * shapes of src/http/api/backup-jobs-json.ts).
 */
import { z } from 'zod';
import {
  BACKUP_JOB_RUN_STATUSES,
  BACKUP_JOB_TRIGGERS,
  BACKUP_JOB_VM_STATUSES,
  RETENTION_OPTIONS,
} from '../../../db/schema.js';
import { SCHEDULE_PRESETS } from '../../../schedule/index.js';
import { count, id, nullableId, nullableTimestamp, percent, timestamp } from './fields.js';

const retention = z
  .object(Object.fromEntries(RETENTION_OPTIONS.map((name) => [name, count])) as Record<string, typeof count>)
  .nullable()
  .describe('Prune rules applied after each VM’s backup; null: each VM’s own policy.');

const schedule = z
  .object({
    preset: z.enum(SCHEDULE_PRESETS),
    time: z.string().optional(),
    days: z.array(z.number().int().min(0).max(6)).optional(),
    day_of_month: z.number().int().min(1).max(31).optional(),
    cron: z.string().optional(),
    timezone: z.string(),
  })
  .nullable()
  .describe('null: manual runs only.');

const errorFields = {
  error: z.string().nullable().describe('Why it failed, in the language of Accept-Language.'),
  error_code: z.string().nullable().describe('The stable code of `error` (`interrupted`, `vms_failed`, …).'),
};

/** A job's newest run, in short. */
const lastRun = z
  .object({
    id,
    status: z.enum(BACKUP_JOB_RUN_STATUSES),
    trigger: z.enum(BACKUP_JOB_TRIGGERS),
    started_at: timestamp,
    finished_at: nullableTimestamp,
  })
  .nullable();

/** A backup job. */
export const backupJobSchema = z.object({
  id,
  name: z.string(),
  description: z.string(),
  virtual_machines: z.array(id),
  esxi_servers: z.array(id),
  include_patterns: z.array(z.string()),
  exclude_patterns: z.array(z.string()),
  skip_powered_off: z.boolean(),
  storage_path: nullableId.describe('null: the first active storage path.'),
  retention,
  quiesce: z.boolean(),
  use_change_tracking: z.boolean(),
  max_parallel_vms: z.number().int().min(1),
  retry_count: count,
  retry_delay_seconds: count,
  is_active: z.boolean(),
  schedule,
  schedule_description: z.string().nullable().describe('The schedule in words, in the reader’s language.'),
  next_runs: z.array(timestamp).describe('The next three slots of the schedule (empty without one).'),
  next_run_at: nullableTimestamp.describe('The slot the scheduler will claim next.'),
  last_run_at: nullableTimestamp,
  last_run: lastRun,
  created_at: timestamp,
  updated_at: timestamp,
});

/** One VM of a run. */
const runVm = z.object({
  id,
  virtual_machine: nullableId,
  vm_name: z.string(),
  vm_backup: nullableId.describe('The restore point (VM backup) of the latest attempt.'),
  status: z.enum(BACKUP_JOB_VM_STATUSES),
  progress: percent.nullable().describe('Percent of the running attempt, null when none runs.'),
  attempts: count,
  mode: z.enum(['full', 'incremental']).nullable(),
  bytes_read: count,
  bytes_written: count,
  duration_seconds: count.nullable(),
  started_at: nullableTimestamp,
  finished_at: nullableTimestamp,
  ...errorFields,
});

const runFields = {
  id,
  backup_job: id,
  backup_job_name: z.string(),
  status: z.enum(BACKUP_JOB_RUN_STATUSES),
  trigger: z.enum(BACKUP_JOB_TRIGGERS),
  progress: percent,
  operation: nullableId.describe('The run’s durable job (operation).'),
  started_at: timestamp,
  finished_at: nullableTimestamp,
  ...errorFields,
};

/** A run in a list. */
export const runSchema = z.object(runFields);
/** A run with its VM lines. */
export const runDetailSchema = z.object({ ...runFields, vm_results: z.array(runVm) });

/** A run's progress. */
export const runProgressSchema = z.object({
  id,
  progress: percent,
  status: z.enum(BACKUP_JOB_RUN_STATUSES),
  message: z.string().describe('What the run is doing, or how it ended, in the reader’s language.'),
});

const selectedVm = z.object({
  id,
  name: z.string(),
  esxi_server: id,
  esxi_server_name: z.string(),
  power_state: z.string(),
});

/** `GET /api/backup-jobs/{id}/selection/`. */
export const selectionSchema = z.object({
  selected: z.array(selectedVm).describe('The VMs a run would back up now.'),
  skipped: z.array(selectedVm).describe('Explicit VMs no longer on their host.'),
});
