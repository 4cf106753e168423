/**
 * @module http/api/ovf-exports-json: the API's JSON of an OVF export (seed OVFExportJob, with its job's
 * status, progress and error) and of its progress (`{id, progress, status, message}`), built here only.
 */
import type { OvfExportItem } from '../../db/ovf-exports.js';
import type { Translate } from '../../i18n/translate.js';
import { errorJson, iso } from './operations-json.js';

/** An export as `/api/ovf-exports/` answers it. */
export function ovfExportJson(t: Translate, e: OvfExportItem) {
  return {
    id: e.id,
    job_id: e.job_id,
    virtual_machine: e.virtual_machine_id,
    vm_backup: e.vm_backup_id,
    source: e.source,
    vm_name: e.vm_name,
    storage_path: e.storage_path_id,
    format: e.format,
    status: e.status,
    progress: e.progress,
    bytes_done: e.bytes_done,
    bytes_total: e.bytes_total,
    step: t.stored(e.step),
    ...errorJson(t, e.error),
    export_dir: e.export_dir,
    package_path: e.package_path,
    files: e.files,
    total_bytes: e.total_bytes,
    created_at: iso(e.created_at) as string,
    started_at: iso(e.started_at),
    finished_at: iso(e.finished_at),
  };
}

/** `GET /api/ovf-exports/{id}/progress/`: percent, status and what it is doing (or why it failed) in words. */
export function ovfProgressJson(t: Translate, e: OvfExportItem) {
  const message = e.error ? t.stored(e.error) : e.step ? t.stored(e.step) : t(`backups.status.${e.status}`);
  return { id: e.id, progress: e.progress, status: e.status, message };
}
