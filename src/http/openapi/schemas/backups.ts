/** @module http/openapi/schemas/backups: what `/api/vm-backups/` and `/api/restores/` answer. */
import { z } from 'zod';
import { CBT_FALLBACK_REASONS } from '../../../backup/cbt-plan.js';
import { VERIFICATION_STATUSES } from '../../../db/schema.js';
import { count, id, jobFields, nullableId, nullableTimestamp, timestamp } from './fields.js';

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
  backup_dir: z
    .string()
    .nullable()
    .describe(
      'Set once the backup is complete: its directory (`directory` format), or the folder of its index in the repository (`repository`).',
    ),
  size_bytes: count.describe('Bytes of its files (the logical size).'),
  file_count: count,
  manifest_sha256: z
    .string()
    .nullable()
    .describe('SHA-256 of its manifest.json (`directory`) or of its index file (`repository`).'),
  format: z
    .enum(['directory', 'repository'])
    .describe(
      '`repository`: a restore point (deduplicated chunks and an index); `directory`: a full copy made before repositories.',
    ),
  bytes_read: count.describe('Bytes read from the datastore.'),
  bytes_written: count.describe(
    'Bytes newly written to the repository, after compression and deduplication.',
  ),
  logical_bytes: count.describe('Sum of the sizes of its files.'),
  verification_state: z
    .enum(['unverified', 'ok', 'corrupt'])
    .describe('What the last repository verify found (every chunk re-read and its digest checked).'),
  verified_at: nullableTimestamp.describe('When it was last verified.'),
  corrupt_files: z.array(z.string()).describe('The files the last verify found corrupt.'),
  mode: z
    .enum(['full', 'incremental'])
    .describe(
      '`incremental`: a disk was read only where Changed Block Tracking reported changes since the previous ' +
        'restore point (every other chunk taken from it); the restore point is complete all the same.',
    ),
  changed_bytes: count
    .nullable()
    .describe('Bytes CBT reported (changed, or in use for a first read); null when CBT was not used.'),
  cbt_fallback_reason: z
    .enum(CBT_FALLBACK_REASONS)
    .nullable()
    .describe(
      'Why a disk of a VM with CBT was read in full: `no_previous_restore_point` (first read: only the areas ' +
        'in use), `change_id_refused`, `disk_changed` (UUID or capacity), `other_snapshots`, ' +
        '`no_range_support`, `active_full` (ACTIVE_FULL_EVERY), `cbt_not_active`; null when none was.',
    ),
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
