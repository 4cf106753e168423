/**
 * @module http/openapi/schemas/snapshots: what `/api/virtual-machines/{id}/snapshots/` and
 * `/api/snapshot-schedules/` answer (src/http/api/vm-snapshots.ts, snapshot-schedules-json.ts).
 */
import { z } from 'zod';
import { SCHEDULE_PRESETS } from '../../../schedule/index.js';
import { count, id, nullableId, nullableTimestamp, timestamp } from './fields.js';

const moref = z.string().describe('A VirtualMachineSnapshot MoRef value (`snapshot-42`, `3-snapshot-2`).');

/** One snapshot of a VM's tree (VirtualMachineSnapshotTree, flattened: parents before children). */
export const snapshotSchema = z.object({
  moref,
  id: z.number().int().nullable().describe('The snapshot id within the VM.'),
  name: z.string(),
  description: z.string(),
  created_at: z.string().describe('createTime, ISO 8601 (empty when the host gives none).'),
  state: z
    .string()
    .describe('The power state the snapshot restores: `poweredOff` when taken without memory.'),
  quiesced: z.boolean(),
  parent: moref.nullable().describe('The parent snapshot, null at the root.'),
  depth: count.describe('0 for a root snapshot, 1 for its children, ...'),
  is_current: z.boolean().describe('The VM runs from this snapshot (currentSnapshot).'),
  size_bytes: count
    .nullable()
    .describe(
      'Its .vmsn, memory file and the delta disks made when it was taken, as the host reports them in layoutEx; null when it does not tell.',
    ),
  is_backup: z.boolean().describe('A backup’s snapshot (`ebm-backup-*`), removed by the backup itself.'),
  schedule: nullableId.describe('The snapshot schedule that made it, null for any other.'),
});

/** A VM's snapshot tree. */
export const snapshotTreeSchema = z.object({
  virtual_machine: id,
  current_snapshot: moref.nullable(),
  snapshots: z.array(snapshotSchema),
});

const scheduleSpec = z.object({
  preset: z.enum(SCHEDULE_PRESETS),
  time: z.string().optional(),
  days: z.array(z.number().int().min(0).max(6)).optional(),
  day_of_month: z.number().int().min(1).max(31).optional(),
  cron: z.string().optional(),
  timezone: z.string(),
});

/** A snapshot schedule. */
export const snapshotScheduleSchema = z.object({
  id,
  name: z.string(),
  virtual_machine: id,
  vm_name: z.string(),
  esxi_server: id,
  schedule: scheduleSpec,
  timezone: z.string().describe('The schedule’s IANA time zone (as in `schedule`).'),
  schedule_description: z.string().describe('The schedule in words, in the language of Accept-Language.'),
  next_runs: z.array(timestamp).describe('The next three slots.'),
  keep_last: z.number().int().min(1),
  memory: z.boolean(),
  quiesce: z.boolean(),
  is_active: z.boolean(),
  next_run_at: nullableTimestamp,
  last_run_at: nullableTimestamp,
  last_error: z.string().nullable().describe('Why the last run failed, in the language of Accept-Language.'),
  last_error_code: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
