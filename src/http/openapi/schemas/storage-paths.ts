/** @module http/openapi/schemas/storage-paths: what `/api/storage-paths/` answers. */
import { z } from 'zod';
import { count, id, nullableTimestamp, timestamp } from './fields.js';

/** A backup destination with the space of its file system (null when unreadable) and its repository's sizes. */
export const storagePathResponseSchema = z.object({
  id,
  name: z.string(),
  path: z.string(),
  storage_type: z.enum(['local', 'nfs', 'smb']),
  description: z.string(),
  is_active: z.boolean(),
  encrypted: z
    .boolean()
    .describe('The repository is encrypted (AES-256-GCM); chosen at creation, never changed.'),
  created_at: timestamp,
  updated_at: timestamp,
  capacity_bytes: count.nullable(),
  free_bytes: count.nullable(),
  logical_bytes: count.describe('Sum of the sizes of the restore points in the repository.'),
  physical_bytes: count.describe(
    'Bytes of chunk files on disk: as measured by the last verify or GC, plus what restore points wrote since.',
  ),
  chunk_count: count.nullable().describe('Chunk files at the last verify or GC (null before the first).'),
  corrupt_restore_points: count.describe('Restore points that the last verify found corrupt.'),
  last_verified_at: nullableTimestamp,
  last_gc_at: nullableTimestamp,
});

/** The answer to a creation: an encrypted repository created now adds its master key, shown this once. */
export const storagePathCreatedSchema = storagePathResponseSchema.extend({
  master_key: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .describe('Hex master key of the encrypted repository created by this request; never returned again.'),
});
