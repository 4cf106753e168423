/**
 * @module surebackup/cleanup: removes a verification VM: power off, ManagedEntity.Destroy_Task (deletes the VM and
 * its files; the govmomi simulator deletes its folder too), then deletes whatever is left of its folder through
 * FileManager. Also the `cleanupInterrupted` of the `verification` job: after a crash the run is failed as
 * interrupted, its VM removed and its lab network released. Only VMs and folders named `surebackup-...` are ever touched.
 */
import { getServerRow } from '../db/esxi-servers.js';
import { getVerificationByJob, updateVerification } from '../db/verifications.js';
import type { AppDeps } from '../deps.js';
import { type Message, msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import { INTERRUPTED, INTERRUPTED_MESSAGE, type JobRow } from '../jobs/types.js';
import { releaseLabNetworks } from '../lab-network/index.js';
import { notifyVerificationFailed } from '../notifications/index.js';
import {
  asString,
  deleteDatastoreFileIfExists,
  destroyVm,
  type MoRef,
  powerOff,
  retrieveAll,
  toVSphereError,
  type VSphereClient,
} from '../vsphere/index.js';
import { abortLease } from '../vsphere/nfc-lease.js';
import { findPlacement } from '../vsphere/placement.js';
import { VerificationFailed } from './errors.js';
import { createJournal } from './journal.js';

/** Prefix of every verification VM's name (and folder). */
export const VM_PREFIX = 'surebackup-';

/** The name of a verification VM: `surebackup-<vm>-<verification id>` (safe characters, at most 80). */
export function verificationVmName(vmName: string, id: number): string {
  const safe = vmName.replace(/[^\w.-]+/g, '-').slice(0, 50) || 'vm';
  return `${VM_PREFIX}${safe}-${id}`;
}

/**
 * Powers off and destroys the verification VM `name` (found by name, or by `moref` when it still has that
 * name), then deletes its folder on `datastore` if anything is left.
 * @returns the log lines of what was done.
 * @throws VerificationFailed (`not_test_vm`) for a name without the `surebackup-` prefix; VSphereError when the
 *   VM cannot be destroyed.
 */
export async function destroyVerificationVm(
  client: VSphereClient,
  target: { name: string; datastore: string },
): Promise<Message[]> {
  if (!target.name.startsWith(VM_PREFIX))
    throw new VerificationFailed('not_test_vm', 'surebackup.error.not_test_vm', { name: target.name });
  const lines: Message[] = [];
  const vms = await retrieveAll(client, 'VirtualMachine', ['name', 'runtime.powerState']);
  const found = vms.find((v) => asString(v.props.name) === target.name);
  if (found) {
    const vm: MoRef = found.ref;
    if (asString(found.props['runtime.powerState']) !== 'poweredOff') {
      await powerOff(client, vm).catch((err: unknown) => {
        if (toVSphereError(err).code !== 'InvalidPowerState') throw err;
      });
      lines.push(msg('surebackup.log.powered_off', { name: target.name }));
    }
    await destroyVm(client, vm);
    lines.push(msg('surebackup.log.destroyed', { name: target.name }));
  }
  const { datacenter } = await findPlacement(client);
  if (
    await deleteDatastoreFileIfExists(client, { datacenter, datastore: target.datastore, path: target.name })
  ) {
    lines.push(msg('surebackup.log.folder_deleted', { datastore: target.datastore, name: target.name }));
  }
  return lines;
}

/**
 * The job's `cleanupInterrupted`: fails a verification whose worker died, aborts the lease of an import from an
 * OVF export it left open (`payload.import_lease`), then removes its VM (idempotent).
 * @throws the vSphere error when the host cannot be reached (the runner logs it; the row keeps
 *   `vm_cleanup_done = false`).
 */
export async function cleanupInterruptedVerification(job: JobRow, deps: AppDeps): Promise<void> {
  const v = await getVerificationByJob(deps.db, job.id);
  if (!v) return;
  const journal = createJournal(deps, v.id);
  if (v.status === 'pending' || v.status === 'running') {
    await journal.log(msg('surebackup.log.failed', { error: INTERRUPTED }));
    const completed = new Date();
    const duration = v.started_at ? Math.round((completed.getTime() - v.started_at.getTime()) / 1000) : null;
    await updateVerification(deps.db, v.id, {
      status: 'failed',
      error_message: INTERRUPTED_MESSAGE,
      completed_at: completed,
      total_duration_seconds: duration,
    });
    await notifyVerificationFailed(deps, v.id);
  }
  if (!v.test_vm_name || v.vm_cleanup_done || !v.esxi_server_id) return;
  const server = await getServerRow(deps.db, v.esxi_server_id);
  if (!server) return;
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  try {
    const lease = job.payload.import_lease;
    if (typeof lease === 'string') await abortLease(client, { type: 'HttpNfcLease', value: lease });
    const lines = await destroyVerificationVm(client, { name: v.test_vm_name, datastore: v.test_datastore });
    for (const line of lines) await journal.log(line);
    await journal.log(msg('surebackup.log.cleanup_after_interruption'));
    await updateVerification(deps.db, v.id, { vm_cleanup_done: true });
    await releaseLabNetworks(deps, { jobId: job.id }, client);
  } finally {
    await client.logout();
  }
}
