/**
 * @module notifications/notices: the events raised by jobs (failover started / completed / failed,
 * verification failed, repository verify found corruption, database backup failed): each loads what it names
 * (host, VM, replication, job) and records the event. They never throw (see `notify`).
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
