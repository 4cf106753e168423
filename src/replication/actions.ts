/**
 * @module replication/actions: what the API and the pages do with a replication: check whether its replica
 * already exists on the destination, start a run (refused while paused or busy, and while a replica exists
 * unless told to delete or refresh it), pause, resume, delete (with its replica), trigger a failover.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2, ../shared/seeds/000_51d0a8809ce1434c.txt
 */
import { getServerRow } from '../db/esxi-servers.js';
import { createFailoverEvent, type FailoverEventRow, lastCompletedFailover } from '../db/failover-events.js';
import {
  activeJobsOf,
  deleteReplicationRow,
  insertRunJob,
  type ReplicationView,
  type RunPayload,
  updateReplication,
} from '../db/replications.js';
import type { AppDeps } from '../deps.js';
import type { Translate } from '../i18n/translate.js';
import { connectToServer } from '../inventory/connect.js';
import type { JobRow } from '../jobs/types.js';
import { toVSphereError, type VSphereClient } from '../vsphere/index.js';
import { failoverStep } from './failover.js';
import { deleteReplicaVm, findVmByName, replicaNameFor } from './replica.js';
import { ReplicationConflictError } from './settings.js';

/** The destination host could not be reached (HTTP 502). */
export class DestinationUnreachableError extends Error {
  override name = 'DestinationUnreachableError';
}

/** Starting would overwrite a replica that exists: ask the user first (HTTP 409 with the replica's name). */
export class ReplicaExistsError extends ReplicationConflictError {
  constructor(
    message: string,
    readonly replicaName: string,
  ) {
    super(message);
  }
}

async function withDestination<T>(
  deps: AppDeps,
  t: Translate,
  r: ReplicationView,
  work: (client: VSphereClient) => Promise<T>,
): Promise<T> {
  const server = await getServerRow(deps.db, r.destination_server_id);
  if (!server)
    throw new DestinationUnreachableError(
      t('replication.error.server_missing', { id: r.destination_server_id }),
    );
  let client: VSphereClient;
  try {
    client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  } catch (err) {
    const error = toVSphereError(err).message;
    throw new DestinationUnreachableError(
      t('replication.error.destination_unreachable', { server: server.name, error }),
    );
  }
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

/**
 * Looks for the replica (`<vm>_replica`) on the destination host (seed 000 `check_replica_exists`).
 * @returns `{exists, replica_name, message}`. @throws DestinationUnreachableError.
 */
export async function checkReplicaExists(deps: AppDeps, t: Translate, r: ReplicationView) {
  const name = replicaNameFor(r.vm_name);
  const exists = await withDestination(deps, t, r, async (c) => (await findVmByName(c, name)) !== null);
  const params = { name, server: r.destination_server_name };
  const message = t(exists ? 'replication.replica_exists' : 'replication.replica_absent', params);
  return { exists, replica_name: name, message };
}

async function refuseWhenBusy(deps: AppDeps, t: Translate, r: ReplicationView): Promise<void> {
  if ((await activeJobsOf(deps.db, r.id)).length > 0)
    throw new ReplicationConflictError(t('replication.error.running'));
}

/**
 * Queues a run. Without `existing_replica`, a replica already on the destination is refused with
 * ReplicaExistsError (the page then asks "delete and continue"); a destination that cannot be checked does
 * not stop the run (the job reports the real failure).
 * @returns the run's job (its id is the run id of the progress endpoint).
 * @throws ReplicationConflictError (paused, busy), ReplicaExistsError.
 */
export async function startReplication(
  deps: AppDeps,
  t: Translate,
  r: ReplicationView,
  options: { existing_replica?: RunPayload['existing_replica']; userId?: number | null },
): Promise<JobRow> {
  if (r.status === 'paused') throw new ReplicationConflictError(t('replication.error.paused'));
  await refuseWhenBusy(deps, t, r);
  if (!options.existing_replica) {
    const check = await checkReplicaExists(deps, t, r).catch(() => null);
    if (check?.exists) throw new ReplicaExistsError(check.message, check.replica_name);
  }
  const job = await insertRunJob(deps.db, r, { existing_replica: options.existing_replica }, options.userId);
  deps.jobs?.wake();
  return job;
}

/**
 * Resuming would overwrite a replica that a real failover put in service: the next cycle powers it off and
 * replaces its disks with the source's. `eventId` names that failover.
 */
export class ReplicaInServiceError extends ReplicationConflictError {
  constructor(
    message: string,
    readonly eventId: number,
  ) {
    super(message);
  }
}

/**
 * Pauses (no scheduled run, no automatic failover) or resumes a replication. Resuming after a completed real
 * failover that no cycle has followed yet needs `options.overwriteReplica` (the admin's confirmation).
 * @returns the updated row.
 * @throws ReplicaInServiceError when that confirmation is missing.
 */
export async function setPaused(
  deps: AppDeps,
  t: Translate,
  r: ReplicationView,
  paused: boolean,
  options: { overwriteReplica?: boolean } = {},
) {
  if (!paused && !options.overwriteReplica) {
    const failover = await lastCompletedFailover(deps.db, r.id);
    const since = failover?.completed_at ?? failover?.started_at;
    if (failover && since && (!r.last_replication_at || since > r.last_replication_at)) {
      const at = `${since.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      const params = { name: r.replica_name || replicaNameFor(r.vm_name), since: at };
      throw new ReplicaInServiceError(t('replication.error.replica_in_service', params), failover.id);
    }
  }
  const next = !paused && r.replica_vm_moref && !r.next_run_at ? new Date() : undefined;
  return updateReplication(deps.db, r.id, {
    status: paused ? 'paused' : 'active',
    source_unreachable_since: null,
    ...(paused ? {} : { last_error: null }),
    ...(next ? { next_run_at: next } : {}),
  });
}

/**
 * Deletes a replication and its replica VM on the destination (powered off, destroyed with its files).
 * @param options.keepReplica delete the row only (the destination is gone for good).
 * @throws ReplicationConflictError while it runs; DestinationUnreachableError; VSphereError.
 */
export async function deleteReplication(
  deps: AppDeps,
  t: Translate,
  r: ReplicationView,
  options: { keepReplica?: boolean } = {},
): Promise<void> {
  await refuseWhenBusy(deps, t, r);
  if (!options.keepReplica) {
    await withDestination(deps, t, r, async (client) => {
      const found = await findVmByName(client, r.replica_name || replicaNameFor(r.vm_name));
      if (found) await deleteReplicaVm(client, found.ref);
    });
  }
  await deleteReplicationRow(deps.db, r.id);
}

/**
 * Creates a FailoverEvent (`initiated`) and queues its `failover` job.
 * @param input.type `manual` or `test` (from `test_mode`) for users, `automatic` for the monitor.
 * @param input.onceSince (monitor) create nothing when an automatic failover started since then.
 * @returns the event, or null when `onceSince` found one.
 * @throws ReplicationConflictError when there is no replica yet or something runs on the replication.
 */
export async function triggerFailover(
  deps: AppDeps,
  t: Translate,
  r: ReplicationView,
  input: { reason: string; type: 'manual' | 'automatic' | 'test'; userId: number | null; onceSince?: Date },
): Promise<FailoverEventRow | null> {
  if (!r.replica_vm_moref) throw new ReplicationConflictError(t('replication.error.no_replica'));
  await refuseWhenBusy(deps, t, r);
  const event = await createFailoverEvent(deps.db, {
    replication_id: r.id,
    failover_type: input.type,
    reason: input.reason,
    triggered_by: input.userId,
    label: r.vm_name,
    onceSince: input.onceSince,
    step: failoverStep(
      'initiation',
      `${input.type} failover of ${r.vm_name} to ${r.destination_server_name}: ${input.reason}`,
    ),
  });
  deps.jobs?.wake();
  return event;
}
