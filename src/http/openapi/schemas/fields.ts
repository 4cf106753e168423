/** @module http/openapi/schemas/fields: the field types the response schemas share. */
import { z } from 'zod';
import { JOB_STATUSES } from '../../../db/schema.js';

/** A row id. */
export const id = z.number().int().positive();
/** A foreign key that may be unset (its row deleted, or optional). */
export const nullableId = id.nullable();
/** An instant in ISO 8601 UTC (`2025-11-29T10:30:00.000Z`). */
export const timestamp = z.iso.datetime();
export const nullableTimestamp = timestamp.nullable();
/** A count or a size in bytes. */
export const count = z.number().int().min(0);
/** Percent 0-100 of a job. */
export const percent = z.number().int().min(0).max(100);
/** A durable job's status (backups, restores, operations). */
export const jobStatus = z.enum(JOB_STATUSES);

/** The job fields a backup or a restore carries (its status, progress and error live on its job). */
export const jobFields = {
  status: jobStatus,
  progress: percent,
  bytes_done: count,
  bytes_total: count,
  step: z.string().describe('The current step, in the language of Accept-Language.'),
  error: z.string().nullable().describe('Why it failed, in the language of Accept-Language.'),
  error_code: z
    .string()
    .nullable()
    .describe('The stable code of `error` (`no_space`, `Unreachable`, ...), for scripts.'),
  started_at: nullableTimestamp,
  finished_at: nullableTimestamp,
};
