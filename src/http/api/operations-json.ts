/**
 * @module http/api/operations-json: the API's JSON of an operation (a durable job of any type), built here
 * only: the job's columns (snake_case) without payload and lease, its `step` and `error` rendered in the
 * request's language, and `error_code`, the stable code of its error for scripts (`interrupted`,
 * `Unreachable`, `no_space`, ...).
 */
import { storedCode } from '../../i18n/message.js';
import type { Translate } from '../../i18n/translate.js';
import type { JobRow } from '../../jobs/types.js';

/** The seed's operation types (seed 001: `replication`, `backup`, `export`, `restore`) by job type. */
const SEED_TYPES: Partial<Record<JobRow['type'], string>> = {
  vm_backup: 'backup',
  ovf_export: 'export',
  replication: 'replication',
  restore: 'restore',
};

/** The seed's name of a job type (`ovf_export` → `export`); a type the seed does not list keeps its own. */
export const operationType = (type: JobRow['type']): string => SEED_TYPES[type] ?? type;

/** An operation as the API returns it. */
export interface OperationJson {
  id: number;
  type: JobRow['type'];
  /** The seed's operation type (`backup`, `export`, `replication`, `restore`), else `type`. */
  operation_type: string;
  status: JobRow['status'];
  target_label: string;
  esxi_server_id: number | null;
  progress: number;
  bytes_done: number;
  bytes_total: number;
  /** The current step in the reader's language. */
  step: string;
  /** Why it failed, in the reader's language; null unless FAILED. */
  error: string | null;
  /** The stable code of `error` (null when none, or for an older row's plain text). */
  error_code: string | null;
  cancel_requested: boolean;
  cancellable: boolean;
  created_by: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

/** An instant in ISO 8601 UTC, null kept. */
export const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A stored error column as the API shows it: the text in the reader's language and its stable code. */
export function errorJson(
  t: Translate,
  error: string | null,
): { error: string | null; error_code: string | null } {
  return { error: error === null ? null : t.stored(error), error_code: storedCode(error) ?? null };
}

/**
 * The API shape of a job.
 * @param t the request's translator; cancellable: whether its type may be cancelled.
 */
export function operationJson(t: Translate, job: JobRow, cancellable: boolean): OperationJson {
  return {
    id: job.id,
    type: job.type,
    operation_type: operationType(job.type),
    status: job.status,
    target_label: job.target_label,
    esxi_server_id: job.esxi_server_id,
    progress: job.progress,
    bytes_done: job.bytes_done,
    bytes_total: job.bytes_total,
    step: t.stored(job.step),
    ...errorJson(t, job.error),
    cancel_requested: job.cancel_requested,
    cancellable: cancellable && (job.status === 'PENDING' || job.status === 'IN_PROGRESS'),
    created_by: job.created_by,
    created_at: iso(job.created_at) as string,
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
    updated_at: iso(job.updated_at) as string,
  };
}
