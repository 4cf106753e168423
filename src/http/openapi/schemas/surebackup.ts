/**
 * @module http/openapi/schemas/surebackup: what `/api/backup-verifications/` (and its `statistics/`) and
 * `/api/verification-schedules/` answer (seed section 3, plus the fields src/http/api/backup-verifications-json.ts adds).
 */
import { z } from 'zod';
import {
  TEST_TYPES,
  VERIFICATION_FREQUENCIES,
  VERIFICATION_SOURCES,
  VERIFICATION_STATUSES,
} from '../../../db/schema.js';
import { count, id, nullableId, nullableTimestamp, percent, timestamp } from './fields.js';

const httpCheck = z.object({
  path: z.string(),
  port: z.number().int().min(1).max(65_535).optional(),
  expected_status: z.number().int(),
  expected_text: z.string().optional(),
});

/** One verification (SureBackup run) of a backup. */
export const verificationSchema = z.object({
  id,
  backup_name: z.string().describe('The VM name of the backup or OVF export verified.'),
  ovf_export: nullableId,
  vm_backup: nullableId,
  esxi_server: nullableId,
  esxi_server_name: z.string(),
  schedule: nullableId.describe('The schedule that queued it, null when manual.'),
  job_id: nullableId,
  test_type: z.enum(TEST_TYPES),
  status: z.enum(VERIFICATION_STATUSES),
  vm_restored: z.boolean(),
  vm_booted: z.boolean(),
  boot_time_seconds: count.nullable(),
  ping_successful: z.boolean().nullable(),
  services_checked: z.record(z.string(), z.boolean()).describe('`{"ssh": true, "http": false}`.'),
  requested_services: z.array(z.string()),
  http_checks: z.array(httpCheck),
  test_network: z.string(),
  test_datastore: z.string(),
  test_vm_name: z.string().nullable(),
  vm_cleanup_done: z.boolean(),
  detailed_log: z.string(),
  error_message: z
    .string()
    .describe('Why it failed, in the language of Accept-Language; "" when it did not.'),
  error_code: z
    .string()
    .nullable()
    .describe(
      'Stable code of the failure (`nic_not_isolated`, `not_booted`, `lab_network_not_isolated`, `interrupted`, a vSphere code...).',
    ),
  total_duration_seconds: count.nullable(),
  progress: percent,
  step: z.string(),
  started_at: nullableTimestamp,
  completed_at: nullableTimestamp,
  created_at: timestamp,
});

/** `GET /api/backup-verifications/statistics/`. */
export const statisticsSchema = z.object({
  total_verifications: count,
  passed: count,
  failed: count,
  success_rate: z.number().min(0).max(100).describe('passed / total, percent with two decimals.'),
  average_duration_seconds: count,
  last_verification: nullableTimestamp,
  by_test_type: z.record(z.string(), count),
});

/** A verification schedule. */
export const scheduleSchema = z.object({
  id,
  name: z.string(),
  virtual_machine: nullableId.describe('null: every VM.'),
  vm_name: z.string().nullable(),
  esxi_server: id,
  esxi_server_name: z.string(),
  frequency: z.enum(VERIFICATION_FREQUENCIES),
  source: z
    .enum(VERIFICATION_SOURCES)
    .describe('`vm_backup`: restore points; `ovf_export`: completed OVF exports, imported on the test host.'),
  test_type: z.enum(TEST_TYPES),
  test_network: z.string(),
  test_datastore: z.string(),
  services: z.array(z.string()),
  is_active: z.boolean(),
  last_run_at: nullableTimestamp,
  next_run_at: nullableTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
});
