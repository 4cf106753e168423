/** @module http/openapi/schemas/operations: what `/api/operations/` answers. */
import { z } from 'zod';
import { JOB_TYPES } from '../../../db/schema.js';
import { count, id, jobStatus, nullableId, nullableTimestamp, percent, timestamp } from './fields.js';

/** One operation: a durable job of any type. */
export const operationSchema = z.object({
  id,
  type: z.enum(JOB_TYPES),
  operation_type: z
    .string()
    .describe(
      'The seed’s operation type: `backup`, `export` (OVF export), `replication`, `restore`; else `type`.',
    ),
  status: jobStatus,
  target_label: z.string().describe('What it works on, usually the VM name.'),
  esxi_server_id: nullableId,
  progress: percent,
  bytes_done: count,
  bytes_total: count,
  step: z.string().describe('The current step, in the language of Accept-Language.'),
  error: z.string().nullable().describe('Why it failed, in the language of Accept-Language.'),
  error_code: z
    .string()
    .nullable()
    .describe('The stable code of `error` (`interrupted`, `Unreachable`, `no_space`, ...), for scripts.'),
  cancel_requested: z.boolean(),
  cancellable: z.boolean(),
  created_by: nullableId,
  created_at: timestamp,
  started_at: nullableTimestamp,
  finished_at: nullableTimestamp,
  updated_at: timestamp,
});

/** `POST /api/operations/{id}/cancel/`: `cancelled` (200) before it started, `requested` (202) while it runs. */
export const cancelResultSchema = z.object({
  outcome: z.enum(['cancelled', 'requested']),
  operation: operationSchema,
});
