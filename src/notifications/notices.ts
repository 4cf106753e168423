/**
 * @module notifications/notices: the events raised by jobs (failover started / completed / failed,
 * verification failed, repository verify found corruption, database backup failed, and a backup job run's
 * outcome once backup jobs exist): each loads what it names (host, VM, replication, job) and records the
 * event. They never throw (see `notify`).
 */
import { getFailoverEvent } from '../db/failover-events.js';
import { getReplication } from '../db/replications.js';
import type { StoragePathRow } from '../db/storage-paths.js';
import { getVerification } from '../db/verifications.js';
import type { AppDeps } from '../deps.js';
import { messageOf } from '../errors.js';
import { type Message, msg } from '../i18n/message.js';
import { errorLine, notify, storedParam } from './emit.js';

type Deps = Pick<AppDeps, 'db' | 'logger'>;

/**
 * A failover event reached `phase`. @param error why it failed (a failure only).
 */
export async function notifyFailover(
  deps: Deps,
  failoverEventId: number,
  phase: 'started' | 'completed' | 'failed',
  error?: Message | string,
): Promise<void> {
  const event = await getFailoverEvent(deps.db, failoverEventId).catch(() => null);
  if (!event) return;
  const replication = await getReplication(deps.db, event.replication_id).catch(() => null);
  const type = msg(`notify.failover_type.${event.failover_type}`);
  const vm = event.vm_name;
  const names = {
    replication: event.replication_name,
    vm,
    source: replication?.source_server_name ?? '?',
    destination: replication?.destination_server_name ?? '?',
    replica: replication?.replica_name || `${vm}_replica`,
  };
  const lines = [msg('notify.failover.line', names)];
  const reason = storedParam(event.reason);
  if (event.reason) lines.push(msg('notify.line.reason', { reason }));
  if (phase === 'failed') lines.unshift(errorLine(error ?? storedParam(event.error_message)));
  await notify(deps, `failover.${phase}`, {
    title: msg(`notify.failover.${phase}.title`, { type, vm }),
    lines,
    link: '/failover/',
    facts: { ...names, host: names.source, failover_event: event.id, failover_type: event.failover_type },
    severity: phase === 'failed' ? 'error' : phase === 'started' ? 'warning' : 'info',
  });
}

/** A verification ended `failed`. */
export async function notifyVerificationFailed(deps: Deps, verificationId: number): Promise<void> {
  const v = await getVerification(deps.db, verificationId).catch(() => null);
  if (!v) return;
  const params = {
    id: v.id,
    type: msg(`surebackup.type.${v.test_type}`),
    backup: v.vm_backup_id ?? '?',
    vm: v.backup_name || '?',
    host: v.server_name || '?',
  };
  await notify(deps, 'verification.failed', {
    title: msg('notify.verification.failed.title', { vm: params.vm }),
    lines: [msg('notify.verification.line', params), errorLine(storedParam(v.error_message))],
    link: `/surebackup/${v.id}`,
    facts: {
      vm: params.vm,
      host: params.host,
      verification: v.id,
      vm_backup: v.vm_backup_id,
      test_type: v.test_type,
    },
    severity: 'error',
  });
}

/**
 * A repository verify found corrupt restore points.
 * @param corrupt the restore points found corrupt, with their VM and host.
 */
export async function notifyRepositoryCorrupt(
  deps: Deps,
  storage: Pick<StoragePathRow, 'id' | 'name' | 'path'>,
  points: number,
  corrupt: Array<{ backup: number; vm: string; host: string }>,
): Promise<void> {
  await notify(deps, 'repository.corrupt', {
    title: msg('notify.repository.corrupt.title', { storage: storage.name }),
    lines: [
      msg('notify.repository.line', {
        storage: storage.name,
        path: storage.path,
        corrupt: corrupt.length,
        points,
      }),
      ...corrupt.slice(0, 50).map((c) => msg('notify.repository.vm_line', c)),
    ],
    link: '/storage-paths/',
    facts: {
      storage_path: storage.name,
      path: storage.path,
      corrupt: corrupt.length,
      restore_points: points,
      vm: [...new Set(corrupt.map((c) => c.vm))].join(', '),
      host: [...new Set(corrupt.map((c) => c.host))].join(', '),
    },
    severity: 'error',
  });
}

/** The database backup job `jobId` failed with `error`. */
export async function notifyDbBackupFailed(deps: Deps, jobId: number, error: unknown): Promise<void> {
  const detail = typeof error === 'string' ? storedParam(error) : messageOf(error);
  await notify(deps, 'db_backup.failed', {
    title: msg('notify.db_backup.failed.title'),
    lines: [msg('notify.db_backup.line', { job: jobId }), errorLine(detail)],
    link: '/db-backups/',
    facts: { job: jobId, host: null, vm: null },
    severity: 'error',
  });
}

/** One VM of a backup job run, as the run's notice lists it (failed ones first). */
export interface BackupRunVm {
  vm: string;
  host: string;
  /** The VM's stored error (job error column), when its backup failed or warned. */
  error?: string | null;
}

/**
 * A backup job run ended: `backup_job.failed`, `.warning` or `.success` (issue 14 calls this when a run ends).
 * @param run the job's name and id, the run's id (the page `/backup-jobs/<job>` is linked) and its VMs.
 */
export async function notifyBackupJobRun(
  deps: Deps,
  outcome: 'failed' | 'warning' | 'success',
  run: { jobId: number; jobName: string; runId: number; vms: BackupRunVm[] },
): Promise<void> {
  const failing = run.vms.filter((v) => v.error);
  const lines = [
    msg('notify.backup_job.line', {
      job: run.jobName,
      run: run.runId,
      vms: run.vms.length,
      failed: failing.length,
    }),
    ...[...failing, ...run.vms.filter((v) => !v.error)].map((v) =>
      v.error
        ? msg('notify.backup_job.vm_failed', { vm: v.vm, host: v.host, error: storedParam(v.error) })
        : msg('notify.backup_job.vm_ok', { vm: v.vm, host: v.host }),
    ),
  ];
  await notify(deps, `backup_job.${outcome}`, {
    title: msg(`notify.backup_job.${outcome}.title`, { job: run.jobName }),
    lines,
    link: `/backup-jobs/${run.jobId}`,
    facts: {
      job: run.jobName,
      job_id: run.jobId,
      run: run.runId,
      vm: run.vms.map((v) => v.vm).join(', '),
      host: [...new Set(run.vms.map((v) => v.host))].join(', '),
    },
    severity: outcome === 'failed' ? 'error' : outcome === 'warning' ? 'warning' : 'info',
  });
}
