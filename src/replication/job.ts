/**
 * @module replication/job: the `replication` job type. Loads the replication, refuses to run while it is
 * paused, marks it `syncing`, decides what to do with a replica already on the destination (refresh our own;
 * delete it when asked; refuse a stranger), runs the cycle and records the outcome on the replication:
 * `active` with time, duration and size, or `error` with the reason (`last_error`); the next run is due one
 * interval later either way. An interrupted run is failed, its snapshot swept and what it wrote removed (a new
 * replica's partial folder, or a refresh's staging folder).
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2
 */
import { sweepSnapshots } from '../backup/snapshot-sweep.js';
import { getServerRow } from '../db/esxi-servers.js';
import { getVirtualMachine } from '../db/inventory.js';
import {
  getReplication,
  jobReplicationId,
  markRunFolderWritten,
  type RunPayload,
  settleReplication,
  updateReplication,
} from '../db/replications.js';
import type { AppDeps } from '../deps.js';
import { ConflictError, codeOf, messageOf, NotFoundError } from '../errors.js';
import { msg, storeMessage } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import { INTERRUPTED_MESSAGE, type JobContext, type JobRow, type JobTypeDefinition } from '../jobs/types.js';
import { deleteDatastoreFileIfExists, type VSphereClient } from '../vsphere/index.js';
import { findPlacement } from '../vsphere/placement.js';
import { runCycle, stagingFolder } from './cycle.js';
import { deleteReplicaVm, ensurePoweredOff, findVmByName, replicaNameFor } from './replica.js';

/** Deletes a folder on the destination if it is there: a never-registered replica's, or a staging one. */
async function removeFolder(client: VSphereClient, datastore: string, folder: string): Promise<void> {
  const { datacenter } = await findPlacement(client);
  await deleteDatastoreFileIfExists(client, { datacenter, datastore, path: folder });
}

async function load(deps: AppDeps, job: JobRow) {
  const replication = await getReplication(deps.db, jobReplicationId(job));
  if (!replication) throw new NotFoundError(msg('replication.error.gone'));
  if (replication.status === 'paused')
    throw new ConflictError('replication_paused', msg('replication.error.paused'));
  const vm = (await getVirtualMachine(deps.db, replication.virtual_machine_id))?.vm;
  if (!vm?.is_present) throw new NotFoundError(msg('replication.error.vm_gone', { vm: replication.vm_name }));
  const [source, dest] = await Promise.all([
    getServerRow(deps.db, replication.source_server_id),
    getServerRow(deps.db, replication.destination_server_id),
  ]);
  if (!source || !dest) throw new NotFoundError(msg('replication.error.servers_gone'));
  return { replication, vm, source, dest };
}

async function runReplication(ctx: JobContext): Promise<void> {
  const { deps, job, signal } = ctx;
  const payload = job.payload as unknown as RunPayload;
  const { replication, vm, source, dest } = await load(deps, job);
  const replicaName = replicaNameFor(vm.name);
  const started = Date.now();
  await updateReplication(deps.db, replication.id, { status: 'syncing', replica_name: replicaName });
  const timeout = deps.config.vsphereTimeoutSeconds;
  const clients: VSphereClient[] = [];
  try {
    ctx.report({ progress: 0, step: msg('step.connecting', { server: source.name }) });
    const src = await connectToServer(source, deps.credentials, timeout);
    clients.push(src);
    ctx.report({ step: msg('step.connecting', { server: dest.name }) });
    const dst = await connectToServer(dest, deps.credentials, timeout);
    clients.push(dst);
    const { datacenter } = await findPlacement(dst);
    let replica = (await findVmByName(dst, replicaName))?.ref ?? null;
    if (replica && payload.existing_replica === 'delete') {
      ctx.report({ step: msg('step.deleting_replica') });
      await deleteReplicaVm(dst, replica);
      replica = null;
    } else if (replica && replica.value !== replication.replica_vm_moref) {
      throw new ConflictError(
        'replica_stranger',
        msg('replication.error.stranger_replica', { name: replicaName, server: dest.name }),
      );
    }
    if (replica) await ensurePoweredOff(dst, replica);
    else await removeFolder(dst, replication.destination_datastore, replicaName);
    signal.throwIfAborted();
    const result = await runCycle(
      ctx,
      {
        source: { client: src, serverId: source.id, name: source.name },
        dest: { client: dst, datastore: replication.destination_datastore, datacenter },
        vm: { moref: vm.moref, name: vm.name },
        replicaName,
        replica,
        replicatedDisks: replication.replicated_disks,
        replicationId: replication.id,
      },
      () => markRunFolderWritten(deps.db, job.id),
    );
    await settleReplication(deps.db, replication.id, 'active', {
      replica_vm_moref: result.replica.value,
      replicated_disks: result.disks,
      last_replication_at: new Date(),
      last_replication_duration_seconds: Math.round((Date.now() - started) / 1000),
      total_replicated_size_mb: result.bytes / (1024 * 1024),
      last_error: null,
      next_run_at: new Date(Date.now() + replication.replication_interval_minutes * 60_000),
    });
    ctx.report({ progress: 100, step: msg('step.done') });
  } catch (err) {
    const cancelled = signal.aborted;
    await settleReplication(deps.db, replication.id, cancelled ? 'active' : 'error', {
      last_error: cancelled ? null : storeMessage(messageOf(err), codeOf(err)),
      next_run_at: new Date(Date.now() + replication.replication_interval_minutes * 60_000),
    });
    throw err;
  } finally {
    for (const client of clients) await client.logout();
  }
}

/** After a dead worker: the replication goes to `error`, its snapshot is swept, a half-made folder removed. */
async function cleanupReplication(job: JobRow, deps: AppDeps): Promise<void> {
  await sweepSnapshots(deps, { jobId: job.id });
  const replication = await getReplication(deps.db, jobReplicationId(job));
  if (!replication) return;
  await settleReplication(deps.db, replication.id, 'error', { last_error: job.error ?? INTERRUPTED_MESSAGE });
  if (job.payload.folder_written !== true) return;
  const dest = await getServerRow(deps.db, replication.destination_server_id);
  if (!dest) return;
  const client = await connectToServer(dest, deps.credentials, deps.config.vsphereTimeoutSeconds);
  try {
    const name = replicaNameFor(replication.vm_name);
    const found = await findVmByName(client, name);
    if (!found) await removeFolder(client, replication.destination_datastore, name);
    else if (found.ref.value !== replication.replica_vm_moref) await deleteReplicaVm(client, found.ref);
    else await removeFolder(client, replication.destination_datastore, stagingFolder(name, job.id));
  } finally {
    await client.logout();
  }
}

/** The `replication` job type (cancellable). */
export const replicationJob: JobTypeDefinition = {
  handler: runReplication,
  cancellable: true,
  cleanupInterrupted: cleanupReplication,
};
