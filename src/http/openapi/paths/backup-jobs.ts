/**
 * @module http/openapi/paths/backup-jobs: `/api/backup-jobs/` (CRUD, run now, selection preview) and
 * `/api/backup-job-runs/` (list, detail with VM lines, progress, cancel).
 */
import { backupJobFields, backupJobInput } from '../../../backup-jobs/index.js';
import { runFilters } from '../../api/backup-job-runs.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import {
  backupJobSchema,
  runDetailSchema,
  runProgressSchema,
  runSchema,
  selectionSchema,
} from '../schemas/backup-jobs.js';

const tag = 'backup-jobs';
const base = '/api/backup-jobs/';
const detail = `${base}{id}/`;
const runs = '/api/backup-job-runs/';
const run = `${runs}{id}/`;
const rules =
  'At least one VM or host; the VMs, hosts and storage path must exist (400 naming the field); `schedule` is a preset (daily, weekly, monthly) or a five-field cron expression in an IANA time zone (400 on `schedule` otherwise). A taken name is a 409.';

/** Adds the backup job endpoints. */
export function backupJobPaths(doc: DocumentBuilder): void {
  const job = doc.response('BackupJob', backupJobSchema);
  const runDetail = doc.response('BackupJobRunDetail', runDetailSchema);
  const one = { 200: { description: 'The backup job.', schema: job } };
  const input = doc.request('BackupJobInput', backupJobInput);
  list(doc, { path: base, tag, summary: 'List the backup jobs, by name', name: 'BackupJob', item: job });
  endpoint(doc, {
    method: 'post',
    path: base,
    tag,
    summary: 'Create a backup job',
    description: rules,
    role: 'operator',
    body: input,
    ok: { 201: { description: 'The new job.', schema: job } },
    errors: [409],
  });
  endpoint(doc, { method: 'get', path: detail, tag, summary: 'One backup job', ok: one });
  endpoint(doc, {
    method: 'put',
    path: detail,
    tag,
    summary: 'Replace a backup job’s settings',
    description: rules,
    role: 'operator',
    body: input,
    ok: one,
    errors: [409],
  });
  endpoint(doc, {
    method: 'patch',
    path: detail,
    tag,
    summary: 'Change some settings of a backup job',
    description: 'Any subset of the fields, merged into the current ones, then checked as PUT.',
    role: 'operator',
    body: doc.request('BackupJobPatch', backupJobFields.partial()),
    ok: one,
    errors: [409],
  });
  endpoint(doc, {
    method: 'delete',
    path: detail,
    tag,
    summary: 'Delete a backup job and its runs (restore points stay)',
    description: 'While a run is running: 409 `backup_job_running` (cancel it first).',
    role: 'operator',
    ok: { 204: { description: 'Deleted.', schema: null } },
    errors: [409],
  });
  endpoint(doc, {
    method: 'post',
    path: `${detail}run/`,
    tag,
    summary: 'Run a backup job now',
    description:
      'Active or not. A job never runs twice at once: 409 `backup_job_running` while a run is running.',
    role: 'operator',
    ok: { 201: { description: 'The run, started.', schema: runDetail } },
    errors: [409],
  });
  endpoint(doc, {
    method: 'get',
    path: `${detail}selection/`,
    tag,
    summary: 'The VMs the job’s rules select now',
    description: 'Evaluated on the inventory as last synced, as a run would.',
    ok: {
      200: { description: 'The selection.', schema: doc.response('BackupJobSelection', selectionSchema) },
    },
  });
  list(
    doc,
    {
      path: runs,
      tag,
      summary: 'List the runs, newest first',
      name: 'BackupJobRun',
      item: doc.response('BackupJobRun', runSchema),
    },
    runFilters,
  );
  endpoint(doc, {
    method: 'get',
    path: run,
    tag,
    summary: 'One run, with a line per VM',
    ok: { 200: { description: 'The run.', schema: runDetail } },
  });
  endpoint(doc, {
    method: 'get',
    path: `${run}progress/`,
    tag,
    summary: 'A run’s progress',
    ok: {
      200: { description: 'Its progress.', schema: doc.response('BackupJobRunProgress', runProgressSchema) },
    },
  });
  endpoint(doc, {
    method: 'post',
    path: `${run}cancel/`,
    tag,
    summary: 'Cancel a run',
    description: 'Its running VM backups are cancelled and no new one starts. An ended run: 409.',
    role: 'operator',
    ok: { 200: { description: 'The run after the request.', schema: runDetail } },
    errors: [409],
  });
}
