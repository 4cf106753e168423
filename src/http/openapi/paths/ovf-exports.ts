/** @module http/openapi/paths/ovf-exports: `/api/ovf-exports/` (list, create, detail, progress, cancel, download). */
import { ovfDownloadQuery, ovfExportCreateSchema, ovfExportFilters } from '../../api/ovf-exports.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import { ovfExportSchema, ovfProgressSchema } from '../schemas/ovf-exports.js';

const tag = 'ovf-exports';

/** Adds the OVF export endpoints. */
export function ovfExportPaths(doc: DocumentBuilder): void {
  const ovfExport = doc.response('OvfExport', ovfExportSchema);
  const base = '/api/ovf-exports/';
  list(
    doc,
    { path: base, tag, summary: 'List the OVF exports, newest first', name: 'OvfExport', item: ovfExport },
    ovfExportFilters,
  );
  endpoint(doc, {
    method: 'post',
    path: base,
    tag,
    summary: 'Export a powered-off VM from its host, or a restore point, as an OVF or OVA package',
    description:
      'Queues an `ovf_export` job: the `.ovf` descriptor (OVF 1.0), one streamOptimized VMDK per disk, the `.mf` manifest (SHA-256), and for `ova` one tar archive of them. Give `virtual_machine` to export the powered-off VM straight from its host (ExportVm and its HttpNfcLease; the descriptor from its live configuration), or `vm_backup` to export a completed restore point (the descriptor from the configuration it holds), not both. An unknown source, a VM not powered off, a restore point not completed or an unusable storage path is a 400 naming the field.',
    role: 'operator',
    body: doc.request('OvfExportCreate', ovfExportCreateSchema),
    ok: { 201: { description: 'The queued export.', schema: ovfExport } },
  });
  endpoint(doc, {
    method: 'get',
    path: `${base}{id}/`,
    tag,
    summary: 'One export, with its progress and files',
    ok: { 200: { description: 'The export.', schema: ovfExport } },
  });
  endpoint(doc, {
    method: 'get',
    path: `${base}{id}/progress/`,
    tag,
    summary: 'An export’s progress',
    ok: {
      200: { description: 'Its progress.', schema: doc.response('OvfExportProgress', ovfProgressSchema) },
    },
  });
  endpoint(doc, {
    method: 'post',
    path: `${base}{id}/cancel/`,
    tag,
    summary: 'Cancel an export',
    description:
      'Queued: cancelled at once; running: aborted, its partial folder removed. A finished export is unchanged.',
    role: 'operator',
    ok: { 200: { description: 'The export after the request.', schema: ovfExport } },
  });
  endpoint(doc, {
    method: 'get',
    path: `${base}{id}/download/`,
    tag,
    summary: 'Download the package, or one of its files',
    description:
      'The `.ova` (or the `.ovf`) by default; `?file=` one file of `files`. 409 `not_complete` until the export is complete.',
    role: 'admin',
    query: ovfDownloadQuery,
    errors: [409],
    contentType: 'application/octet-stream',
    ok: {
      200: {
        description: 'The file.',
        schema: { type: 'string', contentMediaType: 'application/octet-stream' },
      },
    },
  });
}
