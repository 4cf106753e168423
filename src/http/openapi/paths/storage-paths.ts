/** @module http/openapi/paths/storage-paths: `/api/storage-paths/` (writes for admins). */
import { storagePathSchema } from '../../../storage/storage-paths.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import { operationSchema } from '../schemas/operations.js';
import { storagePathCreatedSchema, storagePathResponseSchema } from '../schemas/storage-paths.js';

const tag = 'storage-paths';
const detail = '/api/storage-paths/{id}/';
const checked =
  'The directory is created when missing and must be writable; names are unique (400 otherwise). ' +
  '`encrypted` with `passphrase` (8+ characters, never returned or logged) makes the directory an encrypted ' +
  'repository, or opens the encrypted one it holds (a wrong passphrase: 400, code `repository_wrong_passphrase`). ' +
  'Encryption cannot be changed later (400).';
const started =
  'Queues the job on the repository of this storage path; its progress is the operation. 409 when the ' +
  'directory holds no repository yet (`not_a_repository`) or a job of this kind is already queued or running ' +
  'on it (`repository_job_active`, with `operation`).';

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
    ok: {
      201: {
        description: 'The new storage path; `master_key` when an encrypted repository was created.',
        schema: doc.response('StoragePathCreated', storagePathCreatedSchema),
      },
    },
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
  const operation = doc.response('Operation', operationSchema);
  endpoint(doc, {
    method: 'post',
    path: '/api/storage-paths/{id}/verify/',
    tag,
    summary: 'Verify the repository (re-read every chunk its restore points name)',
    description: `${started} Each restore point is marked \`ok\` or \`corrupt\` with the files hit.`,
    role: 'admin',
    ok: { 202: { description: 'The queued operation.', schema: operation } },
    errors: [409],
  });
  endpoint(doc, {
    method: 'post',
    path: '/api/storage-paths/{id}/garbage_collect/',
    tag,
    summary: 'Collect the garbage of the repository (remove the chunks no index names)',
    description: `${started} One GC per repository runs at a time across app processes.`,
    role: 'admin',
    ok: { 202: { description: 'The queued operation.', schema: operation } },
    errors: [409],
  });
}
