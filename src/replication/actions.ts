/**
 * @module replication/actions: what the API and the pages do with a replication: load it (404 when it does
 * not exist), check whether its replica already exists on the destination, start a run (refused while paused
 * or busy, and while a replica exists unless told to delete or refresh it), pause, resume, delete (with its
 * replica), trigger a failover. Refusals are domain errors (src/errors.ts) with a stable code.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2, ../shared/seeds/000_51d0a8809ce1434c.txt
 */
import type { Db } from '../db/client.js';
import { getServerRow } from '../db/esxi-servers.js';
import { createFailoverEvent, type FailoverEventRow, lastCompletedFailover } from '../db/failover-events.js';
import { getJob } from '../db/jobs.js';
import {
  activeJobsOf,
  deleteReplicationRow,
  getReplication,
  insertRunJob,
  type ReplicationView,
  type RunPayload,
  updateReplication,
} from '../db/replications.js';
import type { AppDeps } from '../deps.js';
import { AppError, ConflictError, NotFoundError } from '../errors.js';
import { type Message, msg, storeMessage } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import type { JobRow } from '../jobs/types.js';
import { toVSphereError, type VSphereClient } from '../vsphere/index.js';
import { failoverStep } from './failover.js';
import { deleteReplicaVm, findVmByName, replicaNameFor } from './replica.js';

/** A replication by id. @throws NotFoundError (404) when there is none. */
export async function loadReplication(db: Db, id: number): Promise<ReplicationView> {
  const r = await getReplication(db, id);
  if (!r) throw new NotFoundError(msg('replication.error.not_found'));
  return r;
}

/** A run (job of type `replication`) by id. @throws NotFoundError (404) when there is none. */
export async function loadRun(db: Db, id: number): Promise<JobRow> {
  const job = await getJob(db, id);
  if (job?.type !== 'replication') throw new NotFoundError(msg('replication.error.run_not_found'));
  return job;
}

/**
 * Runs `work` on a session with the destination host.
 * @throws AppError with the vSphere code (502; 409 for a changed certificate) naming the destination when it
 *   cannot be reached; NotFoundError when its server row is gone.
 */
async function withDestination<T>(
  r: ReplicationView,
  deps: AppDeps,
  work: (client: VSphereClient) => Promise<T>,
) {
  const server = await getServerRow(deps.db, r.destination_server_id);
  if (!server)
    throw new NotFoundError(msg('replication.error.server_missing', { id: r.destination_server_id }));
  let client: VSphereClient;
  try {
    client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  } catch (err) {
    const cause = toVSphereError(err);
    const detail = msg('replication.error.destination_unreachable', {
      server: server.name,
      error: cause.detail,
    });
    throw new AppError(cause.status, cause.code, detail, undefined, undefined, { cause });
  }
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

/**
 * Looks for the replica (`<vm>_replica`) on the destination host (seed 000 `check_replica_exists`).
 * @returns `{exists, replica_name, message}`. @throws AppError (502) when the destination cannot be reached.
 */
export async function checkReplicaExists(
  deps: AppDeps,
  r: ReplicationView,
): Promise<{ exists: boolean; replica_name: string; message: Message }> {
  const name = replicaNameFor(r.vm_name);
  const exists = await withDestination(r, deps, async (c) => (await findVmByName(c, name)) !== null);
  const params = { name, server: r.destination_server_name };
  return {
    exists,
    replica_name: name,
    message: msg(exists ? 'replication.replica_exists' : 'replication.replica_absent', params),
  };
}

async function refuseWhenBusy(deps: AppDeps, r: ReplicationView): Promise<void> {
  if ((await activeJobsOf(deps.db, r.id)).length > 0)
    throw new ConflictError('replication_busy', msg('replication.error.running'));
}

/**
 * Queues a run. Without `existing_replica`, a replica already on the destination is refused (the page then
 * asks "delete and continue"); a destination that cannot be checked does not stop the run (the job reports
 * the real failure).
 * @returns the run's job (its id is the run id of the progress endpoint).
 * @throws ConflictError (409): `replication_paused`, `replication_busy`, or `replica_exists` with the API's
 *   `replica_exists: true` and `replica_name`.
 */
export async function startReplication(
  deps: AppDeps,
  r: ReplicationView,
  options: { existing_replica?: RunPayload['existing_replica']; userId?: number | null },
): Promise<JobRow> {
  if (r.status === 'paused') throw new ConflictError('replication_paused', msg('replication.error.paused'));
  await refuseWhenBusy(deps, r);
  if (!options.existing_replica) {
    const check = await checkReplicaExists(deps, r).catch(() => null);
    if (check?.exists)
      throw new ConflictError('replica_exists', check.message, {
        replica_exists: true,
        replica_name: check.replica_name,
      });
  }
  const job = await insertRunJob(deps.db, r, { existing_replica: options.existing_replica }, options.userId);
  deps.jobs?.wake();
  return job;
}

/**
 * Pauses (no scheduled run, no automatic failover) or resumes a replication. Resuming after a completed real
 * failover that no cycle has followed yet needs `options.overwriteReplica` (the admin's confirmation).
 * @returns the updated row.
 * @throws ConflictError (409) `replica_in_service`, with the API's `replica_in_service: true` and
 *   `failover_event` (that failover's id), when that confirmation is missing.
 */
export async function setPaused(
  deps: AppDeps,
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
      throw new ConflictError('replica_in_service', msg('replication.error.replica_in_service', params), {
        replica_in_service: true,
        failover_event: failover.id,
      });
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
 * @throws ConflictError `replication_busy` while it runs; AppError (502) when the destination cannot be
 *   reached; VSphereError.
 */
export async function deleteReplication(
  deps: AppDeps,
  r: ReplicationView,
  options: { keepReplica?: boolean } = {},
): Promise<void> {
  await refuseWhenBusy(deps, r);
  if (!options.keepReplica) {
    await withDestination(r, deps, async (client) => {
      const found = await findVmByName(client, r.replica_name || replicaNameFor(r.vm_name));
      if (found) await deleteReplicaVm(client, found.ref);
    });
  }
  await deleteReplicationRow(deps.db, r.id);
}

/**
 * Creates a FailoverEvent (`initiated`) and queues its `failover` job.
 * @param input.type `manual` or `test` (from `test_mode`) for users, `automatic` for the monitor.
 * @param input.reason the user's text, kept as given, or (monitor) a message, stored as one.
 * @param input.onceSince (monitor) create nothing when an automatic failover started since then.
 * @returns the event, or null when `onceSince` found one.
 * @throws ConflictError (409) `no_replica` when there is no replica yet, `replication_busy` when something
 *   runs on the replication.
 */
export async function triggerFailover(
  deps: AppDeps,
  r: ReplicationView,
  input: {
    reason: string | Message;
    type: 'manual' | 'automatic' | 'test';
    userId: number | null;
    onceSince?: Date;
  },
): Promise<FailoverEventRow | null> {
  if (!r.replica_vm_moref) throw new ConflictError('no_replica', msg('replication.error.no_replica'));
  await refuseWhenBusy(deps, r);
  const event = await createFailoverEvent(deps.db, {
    replication_id: r.id,
    failover_type: input.type,
    reason: typeof input.reason === 'string' ? input.reason : storeMessage(input.reason),
    triggered_by: input.userId,
    label: r.vm_name,
    onceSince: input.onceSince,
    step: failoverStep(
      'initiation',
      msg('failover.log.initiation', {
        type: msg(`replication.mode.${input.type}`),
        vm: r.vm_name,
        server: r.destination_server_name,
        reason: input.reason,
      }),
    ),
  });
  deps.jobs?.wake();
  return event;
}
