/** @module http/openapi/paths/storage-paths: `/api/storage-paths/` (writes for admins). */
import { storagePathSchema } from '../../../storage/storage-paths.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import { storagePathResponseSchema } from '../schemas/storage-paths.js';

const tag = 'storage-paths';
const detail = '/api/storage-paths/{id}/';
const checked =
  'The directory is created when missing and must be writable; names are unique (400 otherwise).';

/** Adds the storage path endpoints. */
export function storagePathPaths(doc: DocumentBuilder): void {
  const path = doc.response('StoragePath', storagePathResponseSchema);
  const input = doc.request('StoragePathInput', storagePathSchema);
  list(doc, {
    path: '/api/storage-paths/',
    tag,
    summary: 'List the backup destinations',
    name: 'StoragePath',
    item: path,
  });
  endpoint(doc, {
    method: 'post',
    path: '/api/storage-paths/',
    tag,
    summary: 'Add a backup destination',
    description: checked,
    role: 'admin',
    body: input,
    ok: { 201: { description: 'The new storage path.', schema: path } },
  });
  endpoint(doc, {
    method: 'get',
    path: detail,
    tag,
    summary: 'One storage path',
    ok: { 200: { description: 'The storage path.', schema: path } },
  });
  endpoint(doc, {
    method: 'put',
    path: detail,
    tag,
    summary: 'Replace a storage path',
    description: checked,
    role: 'admin',
    body: input,
    ok: { 200: { description: 'The storage path.', schema: path } },
  });
  endpoint(doc, {
    method: 'patch',
    path: detail,
    tag,
    summary: 'Change some fields of a storage path',
    description: checked,
    role: 'admin',
    body: doc.request('StoragePathPatch', storagePathSchema.partial()),
    ok: { 200: { description: 'The storage path.', schema: path } },
  });
  endpoint(doc, {
    method: 'delete',
    path: detail,
    tag,
    summary: 'Delete a storage path (its backups stay on disk)',
    role: 'admin',
    ok: { 204: { description: 'Deleted.', schema: null } },
  });
}
