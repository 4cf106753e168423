/**
 * @module http/openapi/schemas/replication: what `/api/vm-replications/` (and a run's progress) and
 * `/api/failover-events/` answer (seed section 2, plus the fields src/http/api/vm-replications-json.ts adds).
 */
import { z } from 'zod';
import { FAILOVER_MODES, FAILOVER_STATUSES, REPLICATION_STATUSES } from '../../../db/schema.js';
import { errorSchema } from '../common.js';
import { count, id, nullableId, nullableTimestamp, percent, timestamp } from './fields.js';

/** A replication with its names and its run in progress. */
export const replicationSchema = z.object({
  id,
  name: z.string(),
  virtual_machine: id,
  vm_name: z.string(),
  source_server: id,
  source_server_name: z.string(),
  destination_server: id,
  destination_server_name: z.string(),
  destination_datastore: z.string(),
  replication_interval_minutes: z.number().int().min(1),
  status: z.enum(REPLICATION_STATUSES),
  status_display: z.string().describe('The status in the reader’s language.'),
  failover_mode: z.enum(FAILOVER_MODES),
  auto_failover_threshold_minutes: z.number().int().min(1),
  last_replication_at: nullableTimestamp,
  last_replication_duration_seconds: count.nullable(),
  total_replicated_size_mb: z.number().min(0),
  is_active: z.boolean(),
  replica_name: z.string(),
  replica_vm_moref: z.string().nullable(),
  last_error: z.string().nullable().describe('Why the last run failed, in the reader’s language.'),
  last_error_code: z
    .string()
    .nullable()
    .describe('The stable code of that error (e.g. `disks_changed`, `Unreachable`), null without one.'),
  next_run_at: nullableTimestamp,
  source_unreachable_since: nullableTimestamp,
  current_run: nullableId.describe('Run id (job) of a run queued or running, else null.'),
  created_at: timestamp,
  updated_at: timestamp,
});

/** A run's progress (`runs/{run_id}/progress/`, `runs/{run_id}/cancel/`). */
export const runProgressSchema = z.object({
  replication_id: id.describe('The run id.'),
  progress: percent,
  status: z.enum(['starting', 'running', 'completed', 'error', 'cancelled']),
  message: z.string(),
  bytes_done: count,
  bytes_total: count,
});

/** `start_replication/`: the run was queued. */
export const startResultSchema = z.object({
  status: z.literal('started'),
  message: z.string(),
  replication_id: id.describe('The run id, for runs/{run_id}/progress/.'),
});

/** `check_replica_exists/`. */
export const replicaCheckSchema = z.object({
  exists: z.boolean(),
  replica_name: z.string(),
  message: z.string(),
});

/**
 * The 409 of `start_replication/` (busy or paused, or a replica already on the destination) and of `resume/`
 * (the replica is in service after a failover).
 */
export const replicationConflictSchema = errorSchema.extend({
  replica_exists: z.literal(true).optional(),
  replica_name: z.string().optional(),
  replica_in_service: z.literal(true).optional(),
  failover_event: z.number().int().optional(),
});

/** A failover event with its step log. */
export const failoverEventSchema = z.object({
  id,
  replication: id,
  replication_name: z.string(),
  vm_name: z.string(),
  failover_type: z.enum(FAILOVER_MODES),
  status: z.enum(FAILOVER_STATUSES),
  status_display: z.string(),
  reason: z.string(),
  source_vm_powered_off: z.boolean(),
  destination_vm_powered_on: z.boolean(),
  error_message: z
    .string()
    .describe('Why the failover failed, in the reader’s language ("" when it did not).'),
  error_code: z
    .string()
    .nullable()
    .describe('The stable code of that error (e.g. `no_replica`, `InvalidLogin`), null without one.'),
  triggered_by: nullableId,
  step_log: z.array(z.object({ at: z.string(), step: z.string(), message: z.string(), ok: z.boolean() })),
  job_id: nullableId,
  started_at: timestamp,
  completed_at: nullableTimestamp,
});
