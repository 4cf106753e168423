/** @module http/openapi/paths/ovf-imports: `POST /api/ovf-exports/{id}/import/`. */
import { ovfImportCreateSchema } from '../../api/ovf-imports.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint } from '../endpoints.js';
import { ovfImportSchema } from '../schemas/ovf-imports.js';

/** Adds the OVF import endpoint. */
export function ovfImportPaths(doc: DocumentBuilder): void {
  endpoint(doc, {
    method: 'post',
    path: '/api/ovf-exports/{id}/import/',
    tag: 'ovf-exports',
    summary: 'Import an export to a host as a new VM',
    description:
      'Queues an `ovf_import` job: the package’s `.mf` checked first (a tampered file fails before any VM is made), then `CreateImportSpec`, `ImportVApp` and the upload of every file through the lease; the VM is powered on when `power_on`. An export not COMPLETED, an unknown or inactive host, a datastore not on it, or an empty name or one the host already has is a 400 naming the field.',
    role: 'operator',
    body: doc.request('OvfImportCreate', ovfImportCreateSchema),
    ok: { 201: { description: 'The queued import.', schema: doc.response('OvfImport', ovfImportSchema) } },
  });
}
