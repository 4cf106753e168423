/**
 * @module http/openapi/paths/surebackup: `/api/backup-verifications/` (with `statistics/`) and
 * `/api/verification-schedules/` (seed section 3).
 */
import { verificationFilters } from '../../api/backup-verifications.js';
import {
  createScheduleSchema,
  createVerificationSchema,
  updateScheduleSchema,
} from '../../api/backup-verifications-json.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import { scheduleSchema, statisticsSchema, verificationSchema } from '../schemas/surebackup.js';

const tag = 'surebackup';

/** Adds the SureBackup endpoints. */
export function surebackupPaths(doc: DocumentBuilder): void {
  const verification = doc.response('BackupVerification', verificationSchema);
  const schedule = doc.response('VerificationSchedule', scheduleSchema);
  const base = '/api/backup-verifications/';
  list(
    doc,
    {
      path: base,
      tag,
      summary: 'List the verifications, newest first',
      name: 'BackupVerification',
      item: verification,
    },
    verificationFilters,
  );
  endpoint(doc, {
    method: 'post',
    path: base,
    tag,
    summary: 'Verify a backup now',
    description:
      'Queues a verification: restore the backup (or import the OVF export, its `.mf` checked first and its networks mapped to the test network) on an isolated network, boot, checks, clean-up. Exactly one of `vm_backup` and `ovf_export`; the backup or export must be COMPLETED, the host active, the datastore on it (400 naming the field otherwise).',
    role: 'operator',
    body: doc.request('BackupVerificationCreate', createVerificationSchema),
    ok: { 201: { description: 'The queued verification.', schema: verification } },
  });
  endpoint(doc, {
    method: 'get',
    path: `${base}statistics/`,
    tag,
    summary: 'Verification statistics',
    ok: {
      200: {
        description: 'Totals, success rate, average duration.',
        schema: doc.response('VerificationStatistics', statisticsSchema),
      },
    },
  });
  endpoint(doc, {
    method: 'get',
    path: `${base}{id}/`,
    tag,
    summary: 'One verification, with its log',
    ok: { 200: { description: 'The verification.', schema: verification } },
  });
  endpoint(doc, {
    method: 'delete',
    path: `${base}{id}/`,
    tag,
    summary: 'Delete a verification',
    description: 'A queued one is cancelled first; a running one is a 409 (cancel its operation first).',
    role: 'operator',
    ok: { 204: { description: 'Deleted.', schema: null } },
    errors: [409],
  });

  const schedules = '/api/verification-schedules/';
  const detail = `${schedules}{id}/`;
  const update = doc.request('VerificationScheduleUpdate', updateScheduleSchema);
  list(doc, {
    path: schedules,
    tag,
    summary: 'List the verification schedules',
    name: 'VerificationSchedule',
    item: schedule,
  });
  endpoint(doc, {
    method: 'post',
    path: schedules,
    tag,
    summary: 'Add a verification schedule',
    description:
      'The VM (null: every VM), the host and the datastore must exist (400 naming the field otherwise).',
    role: 'operator',
    body: doc.request('VerificationScheduleCreate', createScheduleSchema),
    ok: { 201: { description: 'The new schedule.', schema: schedule } },
  });
  endpoint(doc, {
    method: 'get',
    path: detail,
    tag,
    summary: 'One schedule',
    ok: { 200: { description: 'The schedule.', schema: schedule } },
  });
  for (const method of ['put', 'patch'] as const) {
    endpoint(doc, {
      method,
      path: detail,
      tag,
      summary: method === 'put' ? 'Change a schedule' : 'Change some fields of a schedule',
      description: 'Any subset of the fields (PUT and PATCH alike).',
      role: 'operator',
      body: update,
      ok: { 200: { description: 'The schedule.', schema: schedule } },
    });
  }
  endpoint(doc, {
    method: 'delete',
    path: detail,
    tag,
    summary: 'Delete a schedule',
    role: 'operator',
    ok: { 204: { description: 'Deleted.', schema: null } },
  });
}
