/** @module http/openapi/schemas/backups: what `/api/vm-backups/` and `/api/restores/` answer. */
import { z } from 'zod';
import { VERIFICATION_STATUSES } from '../../../db/schema.js';
import { count, id, jobFields, nullableId, timestamp } from './fields.js';

/** A VM backup with its job's state. */
export const backupSchema = z.object({
  id,
  job_id: id.describe('Its operation (`/api/operations/{id}/`).'),
  virtual_machine_id: nullableId,
  vm_name: z.string(),
  esxi_server_id: nullableId,
  storage_path_id: nullableId,
  storage_path_name: z.string().nullable(),
  quiesce: z.boolean(),
  snapshot_name: z.string(),
  backup_dir: z.string().nullable().describe('Set once the backup is complete.'),
  size_bytes: count,
  file_count: count,
  manifest_sha256: z.string().nullable(),
  verification_status: z
    .enum(VERIFICATION_STATUSES)
    .nullable()
    .describe('Status of its latest SureBackup verification, null when never verified.'),
  created_at: timestamp,
  ...jobFields,
});

/** A restore of a backup with its job's state. */
export const restoreSchema = z.object({
  id,
  job_id: id,
  vm_backup_id: nullableId,
  esxi_server_id: nullableId,
  datastore: z.string(),
  vm_name: z.string(),
  power_on: z.boolean(),
  vm_moref: z.string().nullable().describe('The registered VM, once registered.'),
  created_at: timestamp,
  ...jobFields,
});
