/** @module http/openapi/schemas/ovf-exports: what `/api/ovf-exports/` answers (src/http/api/ovf-exports-json.ts). */
import { z } from 'zod';
import { OVF_FORMATS, OVF_SOURCES } from '../../../db/schema.js';
import { count, id, jobFields, jobStatus, nullableId, percent, timestamp } from './fields.js';

const file = z.object({
  name: z
    .string()
    .describe('Name inside the package (`<vm>.ovf`, `<vm>.mf`, `<vm>-disk1.vmdk`, or `<vm>.ova`).'),
  size_bytes: count,
  sha256: z.string().describe('Hex SHA-256 of the file.'),
});

/** An OVF export (seed OVFExportJob). */
export const ovfExportSchema = z.object({
  id,
  job_id: id.describe('Its durable job (type `ovf_export`, operation type `export`).'),
  virtual_machine: nullableId,
  vm_backup: nullableId.describe('The restore point exported (`source` `restore_point`).'),
  source: z
    .enum(OVF_SOURCES)
    .describe(
      '`host`: the powered-off VM straight from its host (ExportVm); `restore_point`: from `vm_backup`.',
    ),
  vm_name: z.string(),
  storage_path: nullableId,
  format: z.enum(OVF_FORMATS),
  ...jobFields,
  export_dir: z
    .string()
    .describe('Folder of the package (written as `<export_dir>.partial` until complete).'),
  package_path: z
    .string()
    .nullable()
    .describe('The `.ova` or the `.ovf`; null until the export is complete.'),
  files: z
    .array(file)
    .describe('The files of the package folder, once complete (the `.ova` alone for `ova`).'),
  total_bytes: count,
  created_at: timestamp,
});

/** `GET /api/ovf-exports/{id}/progress/`. */
export const ovfProgressSchema = z.object({
  id,
  progress: percent,
  status: jobStatus,
  message: z.string().describe('The current step, or why it failed, in the language of Accept-Language.'),
});
