/** @module http/openapi/schemas/ovf-imports: what `POST /api/ovf-exports/{id}/import/` answers (src/http/api/ovf-imports.ts). */
import { z } from 'zod';
import { id, jobFields, nullableId, timestamp } from './fields.js';

/** An import of an OVF export to a host. */
export const ovfImportSchema = z.object({
  id,
  job_id: id.describe('Its durable job (the operations widget shows it as type `ovf_import`).'),
  progress_url: z.string().describe('Its operation, to poll: `/api/operations/{job_id}/`.'),
  ovf_export: nullableId.describe('The export imported.'),
  esxi_server: nullableId,
  datastore: z.string(),
  vm_name: z.string(),
  power_on: z.boolean(),
  vm_moref: z.string().nullable().describe('MoRef value of the VM the host created, once known.'),
  ...jobFields,
  created_at: timestamp,
});
