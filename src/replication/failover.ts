/**
 * @module replication/failover: the `failover` job type, the seed's six steps logged on the FailoverEvent
 * (`step_log`): initiation (when the event is created), validation (replica present on the destination,
 * source host reachable or not), power off the source VM (never in test mode, skipped when its host is down),
 * power on the replica (in test mode its network adapters are first moved to the isolated portgroup
 * FAILOVER_TEST_NETWORK), verification that it runs, finalisation. A failure after something was powered
 * is rolled back (replica off, source on again if it was on): `rolled_back`; before that: `failed`. After a
 * real failover the replication is paused so that no cycle overwrites the running replica.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (failover modes and process)
 */
import { getServerRow } from '../db/esxi-servers.js';
import { getEventByJob, logFailoverStep } from '../db/failover-events.js';
import { getReplication, updateReplication } from '../db/replications.js';
import type { FailoverStepLog } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { connectToServer } from '../inventory/connect.js';
import { errorMessage } from '../jobs/execute.js';
import type { JobContext, JobRow, JobTypeDefinition } from '../jobs/types.js';
import { type MoRef, powerOn, type VSphereClient, vmRef } from '../vsphere/index.js';
import { connectNicsToPortgroup } from '../vsphere/network.js';
import { ensurePoweredOff, findVmByName, powerStateOf, replicaNameFor } from './replica.js';

/** Seconds the replica has to report `poweredOn` before the failover is rolled back. */
const VERIFY_SECONDS = 30;

/** A step for the event's log. */
export const failoverStep = (step: string, message: string, ok = true): FailoverStepLog => ({
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
  if (!event) throw new Error(`Job ${job.id} has no failover event.`);
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
    await log(failoverStep('validation', 'Checking the hosts and the replica'), { status: 'in_progress' });
    ctx.report({ progress: 10, step: 'Validating' });
    const replication = await getReplication(deps.db, event.replication_id);
    if (!replication) throw new Error('The replication no longer exists.');
    if (replication.status === 'syncing')
      throw new Error('A replication cycle is running; try again after it.');
    dst = await tryConnect(deps, replication.destination_server_id);
    if (!dst) throw new Error(`The destination host ${replication.destination_server_name} is unreachable.`);
    clients.push(dst);
    const name = replication.replica_name || replicaNameFor(replication.vm_name);
    replica = (await findVmByName(dst, name))?.ref ?? null;
    if (!replica)
      throw new Error(
        `No replica ${name} on ${replication.destination_server_name}: run the replication first.`,
      );
    const src = test ? null : await tryConnect(deps, replication.source_server_id);
    if (src) clients.push(src);
    const vm = await deps.db.query.virtual_machines.findFirst({
      where: (v, { eq }) => eq(v.id, replication.virtual_machine_id),
    });
    if (src && vm) source = { client: src, vm: vmRef(vm.moref) };
    const sourceText = test ? 'not checked (test mode)' : src ? 'reachable' : 'unreachable';
    await log(
      failoverStep(
        'validation',
        `Replica ${name} found on ${replication.destination_server_name}; source host ${replication.source_server_name} ${sourceText}.`,
      ),
    );

    ctx.report({ progress: 30, step: 'Powering off source VM' });
    if (test) await log(failoverStep('power_off_source', 'Test mode: the source VM is left running.'));
    else if (!source) await log(failoverStep('power_off_source', 'Source host unreachable: skipped.'));
    else {
      sourceWasOn = await ensurePoweredOff(source.client, source.vm);
      await log(
        failoverStep(
          'power_off_source',
          sourceWasOn ? `${replication.vm_name} powered off.` : `${replication.vm_name} was already off.`,
        ),
        { source_vm_powered_off: true },
      );
    }

    ctx.report({ progress: 50, step: 'Powering on replica' });
    if (test) {
      const network = deps.config.failoverTestNetwork;
      const moved = await connectNicsToPortgroup(dst, replica, network);
      await log(
        failoverStep(
          'power_on_replica',
          `${moved} network adapter(s) connected to the isolated portgroup "${network}".`,
        ),
      );
    }
    replicaStarted = true;
    if ((await powerStateOf(dst, replica)) !== 'poweredOn') await powerOn(dst, replica);
    await log(failoverStep('power_on_replica', `${name} powered on.`), { destination_vm_powered_on: true });

    ctx.report({ progress: 75, step: 'Verifying replica' });
    if (!(await waitPoweredOn(dst, replica, signal)))
      throw new Error(`${name} did not report poweredOn within ${VERIFY_SECONDS} s.`);
    await log(failoverStep('verification', `${name} is running.`));

    ctx.report({ progress: 95, step: 'Finalising' });
    if (!test)
      await updateReplication(deps.db, replication.id, {
        status: 'paused',
        last_error: null,
        source_unreachable_since: null,
      });
    const outcome = test
      ? 'Test failover completed; the replica runs isolated.'
      : 'Failover completed; the replication is paused.';
    await log(failoverStep('finalisation', outcome), { status: 'completed', completed_at: new Date() });
    ctx.report({ progress: 100, step: 'Done' });
  } catch (err) {
    const message = errorMessage(err);
    if ((sourceWasOn || replicaStarted) && dst && replica) {
      const undo: string[] = [];
      await ensurePoweredOff(dst, replica).then(
        () => undo.push('replica powered off'),
        () => undo.push('replica could not be powered off'),
      );
      if (sourceWasOn && source)
        await powerOn(source.client, source.vm).then(
          () => undo.push('source VM powered on again'),
          () => undo.push('source VM could not be powered on'),
        );
      await log(failoverStep('rollback', `${message} Rolled back: ${undo.join(', ')}.`, false), {
        status: 'rolled_back',
        error_message: message,
        completed_at: new Date(),
        destination_vm_powered_on: false,
        ...(sourceWasOn ? { source_vm_powered_off: false } : {}),
      });
    } else {
      await log(failoverStep('failed', message, false), {
        status: 'failed',
        error_message: message,
        completed_at: new Date(),
      });
    }
    throw err;
  } finally {
    for (const client of clients) await client.logout();
  }
}

/** After a dead worker: an event still open is failed with the job's message. */
async function cleanupFailover(job: JobRow, deps: AppDeps): Promise<void> {
  const event = await getEventByJob(deps.db, job.id);
  if (!event || (event.status !== 'initiated' && event.status !== 'in_progress')) return;
  const message = job.error ?? 'interrupted';
  await logFailoverStep(deps.db, event.id, failoverStep('failed', message, false), {
    status: 'failed',
    error_message: message,
    completed_at: new Date(),
  });
}

/** The `failover` job type (not cancellable: a half-done failover is worse than a finished one). */
export const failoverJob: JobTypeDefinition = {
  handler: runFailover,
  cancellable: false,
  cleanupInterrupted: cleanupFailover,
};
