/**
 * @module surebackup/run: the `verification` job (SureBackup). Gets the test network on the test host (made
 * as an isolated virtual lab network when it does not exist, src/lab-network; released after the cleanup),
 * puts the VM there as `surebackup-<vm>-<id>` (test-vm.ts: the backup verified and restored, or the OVF export
 * imported, its networks on the test network), checks every adapter is on the test network (editing any that
 * is not) BEFORE power-on, powers it on, waits for the
 * boot, runs the checks of its test type (ping, services, HTTP), and always destroys the VM. Every step goes to
 * `detailed_log`. Outcome: passed; warning (booted, a network or service check failed); failed (restore or boot).
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3
 */

import { getBackup } from '../db/backups.js';
import { getServerRow } from '../db/esxi-servers.js';
import { getOvfExport } from '../db/ovf-exports.js';
import { getVerificationByJob, updateVerification, type VerificationRow } from '../db/verifications.js';
import { messageOf } from '../errors.js';
import { msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import { storedError } from '../jobs/execute.js';
import type { JobContext } from '../jobs/types.js';
import { acquireLabNetwork, releaseLabNetworks } from '../lab-network/index.js';
import { notifyVerificationFailed } from '../notifications/index.js';
import { connectNicsToPortgroup, powerOn, type VSphereClient, vmNicNetworks } from '../vsphere/index.js';
import { waitForBoot } from './boot.js';
import { destroyVerificationVm, verificationVmName } from './cleanup.js';
import { VerificationFailed } from './errors.js';
import { runGuestChecks } from './guest-checks.js';
import { createJournal, type Journal } from './journal.js';
import { createTestVm } from './test-vm.js';

type Results = Partial<
  Pick<
    VerificationRow,
    'vm_restored' | 'vm_booted' | 'boot_time_seconds' | 'ping_successful' | 'services_checked'
  >
>;

async function load(ctx: JobContext) {
  const v = await getVerificationByJob(ctx.deps.db, ctx.job.id);
  if (!v) throw new VerificationFailed('no_verification', 'surebackup.error.no_row', { job: ctx.job.id });
  return v;
}

/**
 * Restores, isolates, boots and checks (see the module doc).
 * @returns the status of a VM that booted (passed or warning).
 * @throws VerificationFailed (or the restore's, the host's error) with the reason of a failed verification
 *   (network missing, corrupt backup, no boot...).
 */
async function verify(
  ctx: JobContext,
  v: VerificationRow,
  journal: Journal,
  record: (results: Results) => Promise<void>,
  useClient: (client: VSphereClient) => void,
): Promise<'passed' | 'warning'> {
  const { deps, signal } = ctx;
  const server = v.esxi_server_id ? await getServerRow(deps.db, v.esxi_server_id) : null;
  if (!server) throw new VerificationFailed('test_server_missing', 'surebackup.error.server_missing');
  const name = v.test_vm_name as string;

  ctx.report({ progress: 1, step: msg('step.connecting', { server: server.name }) });
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  useClient(client);
  const user = { kind: 'verification', ownerId: v.id, jobId: ctx.job.id, vmName: name } as const;
  await acquireLabNetwork(deps, client, server, v.test_network, user);

  const vm = await createTestVm(ctx, { v, server, client, name }, journal);
  await record({ vm_restored: true });
  await journal.log(msg('surebackup.log.registered', { moref: vm.value }));

  ctx.report({ progress: 62, step: msg('step.isolating_network') });
  const changed = await connectNicsToPortgroup(client, vm, v.test_network);
  const nics = await vmNicNetworks(client, vm);
  const stray = nics.find((n) => n.network !== v.test_network);
  if (stray)
    throw new VerificationFailed('nic_not_isolated', 'surebackup.error.nic_not_isolated', {
      nic: stray.label,
      network: stray.network,
    });
  await journal.log(
    nics.length
      ? msg('surebackup.log.nics_connected', { count: changed, network: v.test_network })
      : msg('surebackup.log.no_nics'),
  );

  signal.throwIfAborted();
  ctx.report({ progress: 65, step: msg('step.powering_on') });
  await powerOn(client, vm);
  const poweredOnAt = Date.now();
  await journal.log(msg('surebackup.log.powered_on'));
  ctx.report({ progress: 70, step: msg('step.waiting_boot') });
  const boot = await waitForBoot(client, vm, {
    poweredOnAt,
    timeoutSeconds: deps.config.verificationBootTimeoutSeconds,
    graceSeconds: deps.config.verificationNoToolsGraceSeconds,
    signal,
  });
  if (!boot.booted)
    throw new VerificationFailed('not_booted', 'surebackup.error.not_booted', { detail: boot.detail });
  await record({ vm_booted: true, boot_time_seconds: boot.seconds });
  await journal.log(msg('surebackup.log.booted', { seconds: boot.seconds, detail: boot.detail }));

  return runGuestChecks(ctx, v, client, vm, boot.state.ipAddress, journal, record);
}

/**
 * Runs one verification (the job's handler).
 * @throws the reason of a failed verification (its message and code become the job's error, as `error_message`).
 */
async function runVerification(ctx: JobContext): Promise<void> {
  const { deps } = ctx;
  let v = await load(ctx);
  const journal = createJournal(deps, v.id);
  const startedAt = new Date();
  const backupName =
    (v.vm_backup_id && (await getBackup(deps.db, v.vm_backup_id))?.vm_name) ||
    (v.ovf_export_id && (await getOvfExport(deps.db, v.ovf_export_id).catch(() => null))?.vm_name) ||
    'vm';
  const testVmName = v.test_vm_name ?? verificationVmName(backupName, v.id);
  await updateVerification(deps.db, v.id, {
    status: 'running',
    started_at: startedAt,
    test_vm_name: testVmName,
  });
  v = { ...v, test_vm_name: testVmName };
  await journal.log(
    msg('surebackup.log.started', {
      id: v.id,
      type: msg(`surebackup.type.${v.test_type}`),
      backup: v.vm_backup_id ?? (v.ovf_export_id ? `OVF ${v.ovf_export_id}` : '?'),
      network: v.test_network,
    }),
  );
  const record = (results: Results) => updateVerification(deps.db, v.id, results);
  let client: VSphereClient | null = null;
  let status: 'passed' | 'warning' | 'failed' = 'failed';
  let failure: unknown = null;
  try {
    status = await verify(ctx, v, journal, record, (c) => {
      client = c;
    });
  } catch (err) {
    failure = ctx.signal.aborted ? ctx.signal.reason : err;
    await journal.log(msg('surebackup.log.failed', { error: messageOf(failure) }));
  }
  let cleaned = false;
  const open = client as VSphereClient | null;
  if (open) {
    ctx.report({ progress: 95, step: msg('step.cleanup') });
    try {
      for (const line of await destroyVerificationVm(open, { name: testVmName, datastore: v.test_datastore }))
        await journal.log(line);
      cleaned = true;
      await journal.log(msg('surebackup.log.cleanup_done'));
    } catch (err) {
      await journal.log(msg('surebackup.log.cleanup_failed', { error: messageOf(err) }));
      deps.logger.error({ verification: v.id, err }, 'verification VM not removed');
    } finally {
      await releaseLabNetworks(deps, { jobId: ctx.job.id }, open);
      await open.logout();
    }
  } else cleaned = true;
  const completed = new Date();
  const total = Math.round((completed.getTime() - startedAt.getTime()) / 1000);
  await journal.log(
    msg('surebackup.log.result', { status: msg(`surebackup.status.${status}`), seconds: total }),
  );
  await updateVerification(deps.db, v.id, {
    status,
    error_message: failure === null ? '' : storedError(failure),
    vm_cleanup_done: cleaned,
    completed_at: completed,
    total_duration_seconds: total,
  });
  ctx.report({ progress: 100, step: msg('step.done') });
  if (status === 'failed') await notifyVerificationFailed(deps, v.id);
  if (failure !== null) throw failure;
}

export { runVerification };
