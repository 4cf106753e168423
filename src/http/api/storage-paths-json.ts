/**
 * @module http/api/storage-paths-json: the API's JSON of a storage path, built here only: its columns
 * without the sealed key and the measure bookkeeping, the space of its file system, and its repository's
 * sizes. `logical_bytes` sums its restore points' sizes (database); `physical_bytes` is the chunk bytes as
 * last measured (by a verify or a GC) plus the blob bytes written by restore points made since, and
 * `chunk_count` the count at that measure (null before the first one), so that no request walks the chunks.
 */

import type { Db } from '../../db/client.js';
import { type RepositoryTotals, repositoryTotals, type StoragePathRow } from '../../db/storage-paths.js';
import { storageSpace } from '../../storage/storage-paths.js';
import { iso } from './operations-json.js';

/** A storage path as the API (and the page) shows it. */
export interface StoragePathJson {
  id: number;
  name: string;
  path: string;
  storage_type: StoragePathRow['storage_type'];
  description: string;
  is_active: boolean;
  encrypted: boolean;
  created_at: string;
  updated_at: string;
  capacity_bytes: number | null;
  free_bytes: number | null;
  logical_bytes: number;
  physical_bytes: number;
  chunk_count: number | null;
  corrupt_restore_points: number;
  last_verified_at: string | null;
  last_gc_at: string | null;
}

const NONE: RepositoryTotals = { logical_bytes: 0, bytes_written_since: 0, corrupt: 0 };

/** The JSON of one row, given its repository totals (`repositoryTotals`). */
export async function storagePathJson(
  row: StoragePathRow,
  totals: RepositoryTotals = NONE,
): Promise<StoragePathJson> {
  const space = await storageSpace(row.path);
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    storage_type: row.storage_type,
    description: row.description,
    is_active: row.is_active,
    encrypted: row.encrypted,
    created_at: iso(row.created_at) as string,
    updated_at: iso(row.updated_at) as string,
    capacity_bytes: space?.capacity_bytes ?? null,
    free_bytes: space?.free_bytes ?? null,
    logical_bytes: totals.logical_bytes,
    physical_bytes: (row.chunk_bytes ?? 0) + totals.bytes_written_since,
    chunk_count: row.chunk_count ?? null,
    corrupt_restore_points: totals.corrupt,
    last_verified_at: iso(row.last_verified_at),
    last_gc_at: iso(row.last_gc_at),
  };
}

/** The JSON of several rows (one aggregate query for their totals). */
export async function storagePathsJson(db: Db, rows: StoragePathRow[]): Promise<StoragePathJson[]> {
  const totals = await repositoryTotals(db);
  return Promise.all(rows.map((row) => storagePathJson(row, totals.get(row.id))));
}
