/** @module http/openapi/schemas/storage-paths: what `/api/storage-paths/` answers. */
import { z } from 'zod';
import { count, id, timestamp } from './fields.js';

/** A backup destination with the space of its file system (null when unreadable). */
export const storagePathResponseSchema = z.object({
  id,
  name: z.string(),
  path: z.string(),
  storage_type: z.enum(['local', 'nfs', 'smb']),
  description: z.string(),
  is_active: z.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
  capacity_bytes: count.nullable(),
  free_bytes: count.nullable(),
});
