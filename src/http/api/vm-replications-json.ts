/**
 * @module http/api/vm-replications-json: the API shapes of a replication, of a run's progress, of the
 * replica check and of a failover event, in one place, with the seed's field names (snake_case, ids for
 * foreign keys, `*_name` and `status_display` beside them). Stored messages (`last_error`, `error_message`,
 * `reason`, each step's `message`) are rendered in the request's language; `last_error_code` and
 * `error_code` keep the stable code of the error, when it had one.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (JSON examples), seed 000 (progress polling)
 */
import type { FailoverEventView } from '../../db/failover-events.js';
import type { ReplicationView } from '../../db/replications.js';
import type { FailoverStepLog } from '../../db/schema.js';
import { type Message, storedCode } from '../../i18n/message.js';
import type { Translate } from '../../i18n/translate.js';
import type { JobRow } from '../../jobs/types.js';
import { runMessage, runStatus } from '../../replication/run-state.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A replication as `/api/vm-replications/` lists it; `current_run` is the job id of a run in progress. */
export function replicationJson(r: ReplicationView, t: Translate, lastRun?: JobRow | null) {
  const running = lastRun && (lastRun.status === 'PENDING' || lastRun.status === 'IN_PROGRESS');
  return {
    id: r.id,
    name: r.name,
    virtual_machine: r.virtual_machine_id,
    vm_name: r.vm_name,
    source_server: r.source_server_id,
    source_server_name: r.source_server_name,
    destination_server: r.destination_server_id,
    destination_server_name: r.destination_server_name,
    destination_datastore: r.destination_datastore,
    replication_interval_minutes: r.replication_interval_minutes,
    status: r.status,
    status_display: t(`replication.status.${r.status}`),
    failover_mode: r.failover_mode,
    auto_failover_threshold_minutes: r.auto_failover_threshold_minutes,
    last_replication_at: iso(r.last_replication_at),
    last_replication_duration_seconds: r.last_replication_duration_seconds,
    total_replicated_size_mb: Math.round(r.total_replicated_size_mb * 100) / 100,
    is_active: r.is_active,
    replica_name: r.replica_name,
    replica_vm_moref: r.replica_vm_moref,
    last_error: r.last_error === null ? null : t.stored(r.last_error),
    last_error_code: storedCode(r.last_error) ?? null,
    next_run_at: iso(r.next_run_at),
    source_unreachable_since: iso(r.source_unreachable_since),
    current_run: running ? lastRun.id : null,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

/** `{progress, status, message}` of a run (its job), the message in the reader's language. */
export function runProgressJson(job: JobRow, t: Translate) {
  return {
    replication_id: job.id,
    progress: job.progress,
    status: runStatus(job),
    message: t.message(runMessage(job)),
    bytes_done: job.bytes_done,
    bytes_total: job.bytes_total,
  };
}

/** The answer of `check_replica_exists/`. */
export function replicaCheckJson(
  check: { exists: boolean; replica_name: string; message: Message },
  t: Translate,
) {
  return { exists: check.exists, replica_name: check.replica_name, message: t.message(check.message) };
}

/** One step of a failover's log, its message in the reader's language (an older row's text as stored). */
const stepJson = (s: FailoverStepLog, t: Translate) => ({
  at: s.at,
  step: s.step,
  message: typeof s.message === 'string' ? s.message : t.message(s.message),
  ok: s.ok,
});

/** A failover event as `/api/failover-events/` returns it (the seed's fields, the step log and names). */
export function failoverEventJson(e: FailoverEventView, t: Translate) {
  return {
    id: e.id,
    replication: e.replication_id,
    replication_name: e.replication_name,
    vm_name: e.vm_name,
    failover_type: e.failover_type,
    status: e.status,
    status_display: t(`failover.status.${e.status}`),
    reason: t.stored(e.reason),
    source_vm_powered_off: e.source_vm_powered_off,
    destination_vm_powered_on: e.destination_vm_powered_on,
    error_message: t.stored(e.error_message),
    error_code: storedCode(e.error_message) ?? null,
    triggered_by: e.triggered_by,
    step_log: e.step_log.map((s) => stepJson(s, t)),
    job_id: e.job_id,
    started_at: iso(e.started_at),
    completed_at: iso(e.completed_at),
  };
}
