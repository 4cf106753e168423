/**
 * @module http/api/backup-verifications-json: the JSON of `/api/backup-verifications/` and
 * `/api/verification-schedules/` in one place: the request schemas (zod; the seed's field names) and the answers
 * (seed section 3 plus `esxi_server_name`, `error_message`, `error_code`, `progress`, `step`, `test_vm_name`,
 * `requested_services`, `http_checks`). `detailed_log`, `error_message` and `step` are rendered in the request's
 * language (their lines written before messages were keys, as stored); `error_code` is the failure's stable
 * code (`nic_not_isolated`, `not_booted`, `interrupted`, a vSphere code...), null when none is known.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3
 */
import { z } from 'zod';
import { TEST_TYPES, VERIFICATION_FREQUENCIES, VERIFICATION_SOURCES } from '../../db/schema.js';
import type { ScheduleInput, ScheduleListItem } from '../../db/verification-schedules.js';
import type { VerificationListItem } from '../../db/verifications.js';
import { storedCode } from '../../i18n/message.js';
import type { Translate } from '../../i18n/translate.js';
import { renderLog } from '../../surebackup/journal.js';
import { serviceName } from '../../surebackup/services.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const httpCheck = z.object({
  path: z
    .string()
    .trim()
    .regex(/^\/\S*$/, { error: 'surebackup.field.http_path' }),
  port: z.number().int().min(1).max(65_535).optional(),
  expected_status: z.number().int().min(100).max(599).default(200),
  expected_text: z.string().max(500).optional(),
});

const network = z.string().trim().min(1).max(200);
const datastore = z.string().trim().max(200);

/** POST /api/backup-verifications/. Exactly one of `vm_backup` and `ovf_export` (src/surebackup/requests.ts). */
export const createVerificationSchema = z.object({
  vm_backup: z.number().int().positive().nullish(),
  ovf_export: z.number().int().positive().nullish(),
  esxi_server: z.number().int().positive(),
  test_type: z.enum(TEST_TYPES).default('boot'),
  test_network: network.default('VM Network Isolated'),
  test_datastore: datastore.default(''),
  services: z.array(serviceName).max(32).default([]),
  http_checks: z.array(httpCheck).max(32).default([]),
});

const scheduleFields = {
  name: z.string().trim().min(1).max(200),
  virtual_machine: z.number().int().positive().nullable(),
  esxi_server: z.number().int().positive(),
  frequency: z.enum(VERIFICATION_FREQUENCIES),
  source: z.enum(VERIFICATION_SOURCES),
  test_type: z.enum(TEST_TYPES),
  test_network: network,
  test_datastore: datastore,
  services: z.array(serviceName).max(32),
  is_active: z.boolean(),
};

/** POST /api/verification-schedules/. */
export const createScheduleSchema = z.object({
  ...scheduleFields,
  virtual_machine: scheduleFields.virtual_machine.default(null),
  source: scheduleFields.source.default('vm_backup'),
  test_type: scheduleFields.test_type.default('boot'),
  test_network: scheduleFields.test_network.default('VM Network Isolated'),
  test_datastore: scheduleFields.test_datastore.default(''),
  services: scheduleFields.services.default([]),
  is_active: scheduleFields.is_active.default(true),
});

/** PUT/PATCH /api/verification-schedules/:id (every field optional). */
export const updateScheduleSchema = z.object(scheduleFields).partial();

/** A schedule request in the columns' names. */
export function scheduleColumns(body: z.output<typeof createScheduleSchema>): ScheduleInput;
export function scheduleColumns(body: z.output<typeof updateScheduleSchema>): Partial<ScheduleInput>;
export function scheduleColumns(
  body: Partial<z.output<typeof createScheduleSchema>>,
): Partial<ScheduleInput> {
  const { virtual_machine, esxi_server, ...rest } = body;
  return {
    ...rest,
    ...(virtual_machine !== undefined ? { virtual_machine_id: virtual_machine } : {}),
    ...(esxi_server !== undefined ? { esxi_server_id: esxi_server } : {}),
  };
}

/** A verification as the API returns it, its texts in the reader's language. */
export function verificationJson(v: VerificationListItem, t: Translate) {
  return {
    id: v.id,
    backup_name: v.backup_name,
    ovf_export: v.ovf_export_id,
    vm_backup: v.vm_backup_id,
    esxi_server: v.esxi_server_id,
    esxi_server_name: v.server_name,
    schedule: v.schedule_id,
    job_id: v.job_id,
    test_type: v.test_type,
    status: v.status,
    vm_restored: v.vm_restored,
    vm_booted: v.vm_booted,
    boot_time_seconds: v.boot_time_seconds,
    ping_successful: v.ping_successful,
    services_checked: v.services_checked,
    requested_services: v.requested_services,
    http_checks: v.http_checks,
    test_network: v.test_network,
    test_datastore: v.test_datastore,
    test_vm_name: v.test_vm_name,
    vm_cleanup_done: v.vm_cleanup_done,
    detailed_log: renderLog(t, v.detailed_log),
    error_message: t.stored(v.error_message),
    error_code: storedCode(v.error_message) ?? null,
    total_duration_seconds: v.total_duration_seconds,
    progress: v.progress,
    step: t.stored(v.step),
    started_at: iso(v.started_at),
    completed_at: iso(v.completed_at),
    created_at: iso(v.created_at),
  };
}

/** A schedule as the API returns it. */
export function scheduleJson(s: ScheduleListItem) {
  return {
    id: s.id,
    name: s.name,
    virtual_machine: s.virtual_machine_id,
    vm_name: s.vm_name,
    esxi_server: s.esxi_server_id,
    esxi_server_name: s.server_name,
    frequency: s.frequency,
    source: s.source,
    test_type: s.test_type,
    test_network: s.test_network,
    test_datastore: s.test_datastore,
    services: s.services,
    is_active: s.is_active,
    last_run_at: iso(s.last_run_at),
    next_run_at: iso(s.next_run_at),
    created_at: iso(s.created_at),
    updated_at: iso(s.updated_at),
  };
}
