/**
 * @module backup-jobs/settings: a backup job's fields as the API takes them (`backupJobInput`, PATCH:
 * `.partial()` merged into `inputOf`), the rules they follow (something selected, VMs, hosts and storage path
 * exist, unique name: 409), and saving them with the next slot of the schedule (`next_run_at`).
 */
import { z } from 'zod';
import { type BackupJobRow, deleteBackupJob, insertBackupJob, updateBackupJob } from '../db/backup-jobs.js';
import { getServerRow } from '../db/esxi-servers.js';
import { getVirtualMachine } from '../db/inventory.js';
import { RETENTION_OPTIONS, type RetentionPolicy } from '../db/schema.js';
import { getStoragePath } from '../db/storage-paths.js';
import type { AppDeps } from '../deps.js';
import { ConflictError, invalidField } from '../errors.js';
import { msg } from '../i18n/message.js';
import { keepsSomething } from '../repository/prune.js';
import { nextRun, scheduleSchema } from '../schedule/index.js';
import { isUniqueViolation } from './errors.js';
import { runningConflict } from './start.js';

const id = z.number().int().positive().max(2_147_483_647);
const pattern = z.string().trim().min(1).max(200);
const count = z.number().int().min(0).max(10_000);

/** The prune rules of a job (missing options 0, at least one above 0), or null: each VM's own policy. */
const retention = z
  .strictObject(
    Object.fromEntries(RETENTION_OPTIONS.map((name) => [name, count.default(0)])) as {
      [K in (typeof RETENTION_OPTIONS)[number]]: z.ZodDefault<typeof count>;
    },
  )
  .refine(keepsSomething, { error: 'retention.error.keeps_nothing' })
  .nullable();

/** The fields of a backup job's body, each checked alone (PATCH documents `.partial()` of it). */
export const backupJobFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(''),
  virtual_machines: z.array(id).max(1000).default([]),
  esxi_servers: z.array(id).max(100).default([]),
  include_patterns: z.array(pattern).max(50).default([]),
  exclude_patterns: z.array(pattern).max(50).default([]),
  skip_powered_off: z.boolean().default(false),
  storage_path: id.nullable().default(null),
  retention: retention.default(null),
  quiesce: z.boolean().default(false),
  use_change_tracking: z.boolean().default(true),
  max_parallel_vms: z.number().int().min(1).max(32).default(1),
  retry_count: z.number().int().min(0).max(10).default(0),
  retry_delay_seconds: z.number().int().min(0).max(86_400).default(60),
  is_active: z.boolean().default(true),
  schedule: scheduleSchema.nullable().default(null),
});

/** JSON body of `POST /api/backup-jobs/` and `PUT /api/backup-jobs/{id}/`: something must be selected. */
export const backupJobInput = backupJobFields.refine(
  (b) => b.virtual_machines.length + b.esxi_servers.length > 0,
  {
    path: ['virtual_machines'],
    error: 'backup_jobs.error.no_selection',
  },
);

export type BackupJobInput = z.output<typeof backupJobInput>;

/** @throws InvalidInputError (400) naming the first unknown VM, host or storage path. */
async function checkReferences(deps: Pick<AppDeps, 'db'>, input: BackupJobInput): Promise<void> {
  for (const vm of input.virtual_machines)
    if (!(await getVirtualMachine(deps.db, vm)))
      throw invalidField('virtual_machines', 'backup_jobs.error.vm_unknown', { id: vm });
  for (const server of input.esxi_servers)
    if (!(await getServerRow(deps.db, server)))
      throw invalidField('esxi_servers', 'backup_jobs.error.server_unknown', { id: server });
  if (input.storage_path !== null) {
    const storage = await getStoragePath(deps.db, input.storage_path);
    if (!storage)
      throw invalidField('storage_path', 'backups.request.storage_unknown', { id: input.storage_path });
  }
}

/**
 * Creates (no `existing`) or replaces a backup job after checking the rules; the schedule's next slot after
 * now becomes `next_run_at` (null without a schedule).
 * @returns the row.
 * @throws InvalidInputError (400, per field); ConflictError (409) `backup_job_exists` for a taken name.
 */
export async function saveBackupJob(
  deps: Pick<AppDeps, 'db'>,
  input: BackupJobInput,
  existing?: BackupJobRow,
): Promise<BackupJobRow> {
  await checkReferences(deps, input);
  const values = {
    name: input.name,
    description: input.description,
    virtual_machine_ids: [...new Set(input.virtual_machines)],
    esxi_server_ids: [...new Set(input.esxi_servers)],
    include_patterns: input.include_patterns,
    exclude_patterns: input.exclude_patterns,
    skip_powered_off: input.skip_powered_off,
    storage_path_id: input.storage_path,
    retention: input.retention as RetentionPolicy | null,
    quiesce: input.quiesce,
    use_change_tracking: input.use_change_tracking,
    max_parallel_vms: input.max_parallel_vms,
    retry_count: input.retry_count,
    retry_delay_seconds: input.retry_delay_seconds,
    is_active: input.is_active,
    schedule: input.schedule,
    next_run_at: input.schedule ? nextRun(input.schedule) : null,
  };
  try {
    if (!existing) return await insertBackupJob(deps.db, values);
    return (await updateBackupJob(deps.db, existing.id, values)) ?? existing;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError('backup_job_exists', msg('backup_jobs.error.duplicate', { name: input.name }));
    throw err;
  }
}

/** The input fields of an existing job (to merge a PATCH into, or to fill the edit form). */
export function inputOf(job: BackupJobRow): BackupJobInput {
  return {
    name: job.name,
    description: job.description,
    virtual_machines: job.virtual_machine_ids,
    esxi_servers: job.esxi_server_ids,
    include_patterns: job.include_patterns,
    exclude_patterns: job.exclude_patterns,
    skip_powered_off: job.skip_powered_off,
    storage_path: job.storage_path_id,
    retention: job.retention,
    quiesce: job.quiesce,
    use_change_tracking: job.use_change_tracking,
    max_parallel_vms: job.max_parallel_vms,
    retry_count: job.retry_count,
    retry_delay_seconds: job.retry_delay_seconds,
    is_active: job.is_active,
    schedule: job.schedule,
  };
}

/**
 * Deletes a backup job and its history (its restore points stay).
 * @throws ConflictError (409) `backup_job_running` while a run is running (cancel it first).
 */
export async function removeBackupJob(deps: Pick<AppDeps, 'db'>, job: BackupJobRow): Promise<void> {
  if (!(await deleteBackupJob(deps.db, job.id))) throw runningConflict(job);
}
