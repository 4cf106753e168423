/** @module http/openapi/paths/backups: `/api/vm-backups/` (with cancel and restore) and `/api/restores/`. */
import {
  backupCreateSchema,
  backupFilters,
  restoreCreateSchema,
  restoreFilters,
} from '../../api/vm-backups.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import { backupSchema, restoreSchema } from '../schemas/backups.js';

const tag = 'backups';

/** Adds the backup and restore endpoints. */
export function backupPaths(doc: DocumentBuilder): void {
  const backup = doc.response('VmBackup', backupSchema);
  const restore = doc.response('Restore', restoreSchema);
  list(
    doc,
    {
      path: '/api/vm-backups/',
      tag,
      summary: 'List the VM backups, newest first',
      name: 'VmBackup',
      item: backup,
    },
    backupFilters,
  );
  endpoint(doc, {
    method: 'post',
    path: '/api/vm-backups/',
    tag,
    summary: 'Back a VM up',
    description:
      'Queues the backup (status PENDING, or already IN_PROGRESS when the runner took it). Without `storage_path`, the first active one. An unknown VM or an unusable storage path is a 400.',
    role: 'operator',
    body: doc.request('VmBackupCreate', backupCreateSchema),
    ok: { 201: { description: 'The queued backup.', schema: backup } },
  });
  endpoint(doc, {
    method: 'get',
    path: '/api/vm-backups/{id}/',
    tag,
    summary: 'One backup, with its progress',
    ok: { 200: { description: 'The backup.', schema: backup } },
  });
  endpoint(doc, {
    method: 'post',
    path: '/api/vm-backups/{id}/cancel/',
    tag,
    summary: 'Cancel a backup',
    description:
      'Queued: cancelled at once; running: aborted and cleaned up. A finished backup is unchanged.',
    role: 'operator',
    ok: { 200: { description: 'The backup after the request.', schema: backup } },
  });
  endpoint(doc, {
    method: 'post',
    path: '/api/vm-backups/{id}/restore/',
    tag,
    summary: 'Restore a backup as a new VM',
    description:
      'Onto a host and datastore, under a new name. A backup that is unknown or not COMPLETED, an inactive host or a datastore not on it is a 400.',
    role: 'operator',
    body: doc.request('RestoreCreate', restoreCreateSchema),
    ok: { 201: { description: 'The queued restore.', schema: restore } },
  });
  list(
    doc,
    {
      path: '/api/restores/',
      tag,
      summary: 'List the restores, newest first',
      name: 'Restore',
      item: restore,
    },
    restoreFilters,
  );
  endpoint(doc, {
    method: 'get',
    path: '/api/restores/{id}/',
    tag,
    summary: 'One restore, with its progress',
    ok: { 200: { description: 'The restore.', schema: restore } },
  });
}
