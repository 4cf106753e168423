/**
 * @module replication/failover: the `failover` job type, the seed's six steps logged on the FailoverEvent
 * (`step_log`): initiation (when the event is created), validation (replica present on the destination,
 * source host reachable or not), power off the source VM (never in test mode, skipped when its host is down),
 * power on the replica (in test mode its network adapters are first moved to the isolated portgroup
 * FAILOVER_TEST_NETWORK, made as a virtual lab network when the host has none: src/lab-network, their original
 * portgroups recorded; once the replica is off they go back there and the lab network goes; in a real failover
 * any adapter a test left isolated is first reconnected to its recorded portgroup, or warned about),
 * verification that it runs, finalisation. A failure after something was powered is rolled back (replica off,
 * source on again if it was on): `rolled_back`; before that: `failed`. After a real failover the replication is
 * paused so that no cycle overwrites the running replica. Each start, completion and failure is notified
 * (src/notifications: `failover.started`, `.completed`, `.failed`, the automatic ones named as such).
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (failover modes and process)
 */
import { getServerRow } from '../db/esxi-servers.js';
import { getEventByJob, logFailoverStep } from '../db/failover-events.js';
import { getVirtualMachine } from '../db/inventory.js';
import { getReplication, updateReplication } from '../db/replications.js';
import type { FailoverStepLog } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { AppError, ConflictError, codeOf, messageOf, NotFoundError } from '../errors.js';
import { type Message, msg, readStored, storeMessage } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import { INTERRUPTED_MESSAGE, type JobContext, type JobRow, type JobTypeDefinition } from '../jobs/types.js';
import {
  acquireLabNetwork,
  moveNicsToTestNetwork,
  reconnectProductionNics,
  refuseRunningElsewhere,
  releaseLabNetworks,
} from '../lab-network/index.js';
import { notifyFailover } from '../notifications/index.js';
import { type MoRef, powerOn, type VSphereClient, vmRef } from '../vsphere/index.js';
import { ensurePoweredOff, findVmByName, powerStateOf, replicaNameFor } from './replica.js';

/** Seconds the replica has to report `poweredOn` before the failover is rolled back. */
const VERIFY_SECONDS = 30;

/**
 * A step for the event's log; `message` is shown in the reader's language (a string only for a text stored
 * before messages were keys, e.g. an older job's error).
 */
export const failoverStep = (step: string, message: Message | string, ok = true): FailoverStepLog => ({
  at: new Date().toISOString(),
  step,
  message,
  ok,
});

async function tryConnect(deps: AppDeps, serverId: number): Promise<VSphereClient | null> {
  const server = await getServerRow(deps.db, serverId);
  if (!server) return null;
  const timeout = Math.min(deps.config.vsphereTimeoutSeconds, 10);
  return connectToServer(server, deps.credentials, timeout).catch(() => null);
}

async function waitPoweredOn(client: VSphereClient, vm: MoRef, signal: AbortSignal): Promise<boolean> {
  for (let i = 0; i < VERIFY_SECONDS; i++) {
    if ((await powerStateOf(client, vm)) === 'poweredOn') return true;
    signal.throwIfAborted();
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

async function runFailover(ctx: JobContext): Promise<void> {
  const { deps, job, signal } = ctx;
  const event = await getEventByJob(deps.db, job.id);
  if (!event) throw new NotFoundError(msg('failover.error.no_event', { job: job.id }));
  const log = (step: FailoverStepLog, values: Parameters<typeof logFailoverStep>[3] = {}) =>
    logFailoverStep(deps.db, event.id, step, values);
  const test = event.failover_type === 'test';
  const clients: VSphereClient[] = [];
  let source: { client: VSphereClient; vm: MoRef } | null = null;
  let sourceWasOn = false;
  let replica: MoRef | null = null;
  let replicaStarted = false;
  let dst: VSphereClient | null = null;
  try {
    await log(failoverStep('validation', msg('failover.log.checking')), { status: 'in_progress' });
    await notifyFailover(deps, event.id, 'started');
    ctx.report({ progress: 10, step: msg('step.validating') });
    const replication = await getReplication(deps.db, event.replication_id);
    if (!replication) throw new NotFoundError(msg('replication.error.gone'));
    if (replication.status === 'syncing')
      throw new ConflictError('replication_busy', msg('failover.error.cycle_running'));
    const server = replication.destination_server_name;
    dst = await tryConnect(deps, replication.destination_server_id);
    if (!dst)
      throw new AppError(
        502,
        'destination_unreachable',
        msg('failover.error.destination_unreachable', { server }),
      );
    clients.push(dst);
    const name = replication.replica_name || replicaNameFor(replication.vm_name);
    replica = (await findVmByName(dst, name))?.ref ?? null;
    if (!replica)
      throw new ConflictError('no_replica', msg('failover.error.no_replica_vm', { name, server }));
    const src = test ? null : await tryConnect(deps, replication.source_server_id);
    if (src) clients.push(src);
    const vm = (await getVirtualMachine(deps.db, replication.virtual_machine_id))?.vm;
    if (src && vm) source = { client: src, vm: vmRef(vm.moref) };
    const state = test ? 'not_checked' : src ? 'reachable' : 'unreachable';
    const validated = {
      name,
      server,
      source: replication.source_server_name,
      state: msg(`failover.source.${state}`),
    };
    await log(failoverStep('validation', msg('failover.log.validated', validated)));

    ctx.report({ progress: 30, step: msg('step.power_off_source') });
    if (test) await log(failoverStep('power_off_source', msg('failover.log.source_left_running')));
    else if (!source) await log(failoverStep('power_off_source', msg('failover.log.source_skipped')));
    else {
      sourceWasOn = await ensurePoweredOff(source.client, source.vm);
      const off = sourceWasOn ? 'failover.log.source_powered_off' : 'failover.log.source_already_off';
      await log(failoverStep('power_off_source', msg(off, { vm: replication.vm_name })), {
        source_vm_powered_off: true,
      });
    }

    ctx.report({ progress: 50, step: msg('step.power_on_replica') });
    const network = deps.config.failoverTestNetwork;
    const host = { id: replication.destination_server_id, name: server };
    if (test) {
      const user = { kind: 'failover', ownerId: event.id, jobId: job.id, vmName: name } as const;
      await refuseRunningElsewhere(dst, { ref: replica, name }, network);
      await acquireLabNetwork(deps, dst, host, network, user);
      const moved = await moveNicsToTestNetwork(deps, dst, host, { ref: replica, name }, network, user);
      await log(
        failoverStep('power_on_replica', msg('failover.log.nics_isolated', { count: moved, network })),
      );
    } else {
      await reconnectProductionNics(deps, dst, host, { ref: replica, name }, network, (m, ok) =>
        log(failoverStep('power_on_replica', m, ok)),
      );
    }
    replicaStarted = true;
    if ((await powerStateOf(dst, replica)) !== 'poweredOn') await powerOn(dst, replica);
    await log(failoverStep('power_on_replica', msg('failover.log.replica_powered_on', { name })), {
      destination_vm_powered_on: true,
    });

    ctx.report({ progress: 75, step: msg('step.verifying_replica') });
    if (!(await waitPoweredOn(dst, replica, signal)))
      throw new ConflictError(
        'replica_not_running',
        msg('failover.error.not_powered_on', { name, seconds: VERIFY_SECONDS }),
      );
    await log(failoverStep('verification', msg('failover.log.replica_running', { name })));

    ctx.report({ progress: 95, step: msg('step.finalising') });
    if (!test)
      await updateReplication(deps.db, replication.id, {
        status: 'paused',
        last_error: null,
        source_unreachable_since: null,
      });
    const outcome = test ? 'failover.log.test_completed' : 'failover.log.completed';
    await log(failoverStep('finalisation', msg(outcome)), { status: 'completed', completed_at: new Date() });
    await notifyFailover(deps, event.id, 'completed');
    ctx.report({ progress: 100, step: msg('step.done') });
  } catch (err) {
    const message = messageOf(err);
    const stored = storeMessage(message, codeOf(err));
    if ((sourceWasOn || replicaStarted) && dst && replica) {
      const replicaUndo = await ensurePoweredOff(dst, replica).then(
        () => msg('failover.undo.replica_off'),
        () => msg('failover.undo.replica_not_off'),
      );
      const sourceUndo =
        sourceWasOn && source
          ? await powerOn(source.client, source.vm).then(
              () => msg('failover.undo.source_on'),
              () => msg('failover.undo.source_not_on'),
            )
          : null;
      const rolledBack = sourceUndo
        ? msg('failover.log.rolled_back_source', { error: message, replica: replicaUndo, source: sourceUndo })
        : msg('failover.log.rolled_back', { error: message, replica: replicaUndo });
      await log(failoverStep('rollback', rolledBack, false), {
        status: 'rolled_back',
        error_message: stored,
        completed_at: new Date(),
        destination_vm_powered_on: false,
        ...(sourceWasOn ? { source_vm_powered_off: false } : {}),
      });
    } else {
      await log(failoverStep('failed', message, false), {
        status: 'failed',
        error_message: stored,
        completed_at: new Date(),
      });
    }
    await notifyFailover(deps, event.id, 'failed', message);
    if (test && dst) await releaseLabNetworks(deps, { jobId: job.id }, dst);
    throw err;
  } finally {
    for (const client of clients) await client.logout();
  }
}

/**
 * After a dead worker: an event still open is failed with the job's message (stored as the job has it); its lab
 * network is released unless the replica still runs on it.
 */
async function cleanupFailover(job: JobRow, deps: AppDeps): Promise<void> {
  await releaseLabNetworks(deps, { jobId: job.id });
  const event = await getEventByJob(deps.db, job.id);
  if (!event || (event.status !== 'initiated' && event.status !== 'in_progress')) return;
  const error = job.error ?? INTERRUPTED_MESSAGE;
  const stored = readStored(error);
  const message = stored && 'key' in stored ? msg(stored.key, stored.params) : error;
  await logFailoverStep(deps.db, event.id, failoverStep('failed', message, false), {
    status: 'failed',
    error_message: error,
    completed_at: new Date(),
  });
  await notifyFailover(deps, event.id, 'failed', message);
}

/** The `failover` job type (not cancellable: a half-done failover is worse than a finished one). */
export const failoverJob: JobTypeDefinition = {
  handler: runFailover,
  cancellable: false,
  cleanupInterrupted: cleanupFailover,
};
