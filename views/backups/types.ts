/** @module views/backups/types: what the backup views show of a VMBackupJob (its row joined with its job). */
import type { JobStatus } from '../../src/db/schema.js';

export interface BackupView {
  id: number;
  virtual_machine_id: number | null;
  vm_name: string;
  status: JobStatus;
  /** Percent 0-100. */
  progress: number;
  bytes_done: number;
  bytes_total: number;
  step: string;
  error: string | null;
  size_bytes: number;
  /** `repository` restore points also have bytes read / written and a verification state. */
  format?: 'directory' | 'repository';
  bytes_read?: number;
  bytes_written?: number;
  /** `incremental`: a disk was read only where CBT reported changes; with the reason of a full read. */
  mode?: 'full' | 'incremental';
  cbt_fallback_reason?: string | null;
  verification_state?: 'unverified' | 'ok' | 'corrupt';
  storage_path_name: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

export const ACTIVE_STATUSES: ReadonlySet<JobStatus> = new Set(['PENDING', 'IN_PROGRESS']);

/** Seconds between two instants, or since `from` when `to` is null. */
export function secondsBetween(
  from: Date | string | null,
  to: Date | string | null,
  now = Date.now(),
): number {
  if (!from) return 0;
  const end = to ? new Date(to).getTime() : now;
  return Math.max(0, Math.round((end - new Date(from).getTime()) / 1000));
}
