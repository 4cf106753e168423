/**
 * @module surebackup/run: the `verification` job (SureBackup). Checks that the test network exists on the test
 * host, verifies the backup's checksums, restores it there as `surebackup-<vm>-<id>` with its network adapters on
 * the test network (the .vmx rewritten, then every adapter edited) BEFORE power-on, powers it on, waits for the
 * boot, runs the checks of its test type (ping, services, HTTP), and always destroys the VM. Every step goes to
 * `detailed_log`. Outcome: passed; warning (booted, a network or service check failed); failed (restore or boot).
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 3
 */

import { restoreVm } from '../backup/restore-vm.js';
import { verifyBackup } from '../backup/verify.js';
import { getBackup } from '../db/backups.js';
import { getServerRow } from '../db/esxi-servers.js';
import { getVerificationByJob, updateVerification, type VerificationRow } from '../db/verifications.js';
import { connectToServer } from '../inventory/connect.js';
import { errorMessage } from '../jobs/execute.js';
import type { JobContext } from '../jobs/types.js';
import {
  connectNicsToPortgroup,
  listPortgroups,
  powerOn,
  type VSphereClient,
  vmNicNetworks,
} from '../vsphere/index.js';
import { waitForBoot } from './boot.js';
import { destroyVerificationVm, verificationVmName } from './cleanup.js';
import { runGuestChecks } from './guest-checks.js';
import { createJournal, type Journal } from './journal.js';

type Results = Partial<
  Pick<
    VerificationRow,
    'vm_restored' | 'vm_booted' | 'boot_time_seconds' | 'ping_successful' | 'services_checked'
  >
>;

async function load(ctx: JobContext) {
  const v = await getVerificationByJob(ctx.deps.db, ctx.job.id);
  if (!v) throw new Error(`Job ${ctx.job.id} has no verification row.`);
  return v;
}

/**
 * Restores, isolates, boots and checks (see the module doc).
 * @returns the status of a VM that booted (passed or warning).
 * @throws Error with the reason of a failed verification (network missing, corrupt backup, no boot...).
 */
async function verify(
  ctx: JobContext,
  v: VerificationRow,
  journal: Journal,
  record: (results: Results) => Promise<void>,
  useClient: (client: VSphereClient) => void,
): Promise<'passed' | 'warning'> {
  const { deps, signal } = ctx;
  const backup = v.vm_backup_id ? await getBackup(deps.db, v.vm_backup_id) : null;
  if (!backup?.backup_dir || backup.status !== 'COMPLETED')
    throw new Error('The backup to verify is not available.');
  const server = v.esxi_server_id ? await getServerRow(deps.db, v.esxi_server_id) : null;
  if (!server) throw new Error('The test ESXi server no longer exists.');
  const name = v.test_vm_name as string;

  ctx.report({ progress: 1, step: `Connecting to ${server.name}` });
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  useClient(client);
  if (!(await listPortgroups(client)).includes(v.test_network)) {
    throw new Error(
      `The test network "${v.test_network}" does not exist on ${server.name}: create this isolated portgroup first. ` +
        'Nothing was restored or powered on.',
    );
  }
  await journal.log(`Test network "${v.test_network}" found on ${server.name}`);

  ctx.report({ progress: 2, step: 'Verifying backup' });
  await journal.log(`Verifying the checksums of backup ${backup.id} (${backup.vm_name})`);
  const manifest = await verifyBackup(backup.backup_dir, backup.manifest_sha256, signal, {
    from: 2,
    to: 25,
    report: ctx.report,
  });
  await journal.log(`Backup verified: ${manifest.files.length} files, SHA-256 match`);

  await journal.log(`Restoring to [${v.test_datastore}] as ${name}`);
  const restored = await restoreVm(
    client,
    {
      backupDir: backup.backup_dir,
      manifest,
      datastore: v.test_datastore,
      vmName: name,
      hostName: server.name,
      networkName: v.test_network,
      signal,
      progress: { from: 25, to: 60, report: ctx.report },
      onRegistered: (vm) => updateVerification(deps.db, v.id, { test_vm_moref: vm?.value ?? null }),
    },
    (message) => void journal.log(message),
  );
  await record({ vm_restored: true });
  await journal.log(`VM registered (${restored.vm.value})`);

  ctx.report({ progress: 62, step: 'Isolating network' });
  const changed = await connectNicsToPortgroup(client, restored.vm, v.test_network);
  const nics = await vmNicNetworks(client, restored.vm);
  const stray = nics.find((n) => n.network !== v.test_network);
  if (stray) throw new Error(`${stray.label} is still on "${stray.network}": the VM was not powered on.`);
  await journal.log(
    nics.length
      ? `${changed} network adapter(s) connected to "${v.test_network}" before power-on`
      : 'The VM has no network adapter: nothing to isolate',
  );

  signal.throwIfAborted();
  ctx.report({ progress: 65, step: 'Powering on' });
  await powerOn(client, restored.vm);
  const poweredOnAt = Date.now();
  await journal.log('Powered on; waiting for the boot');
  ctx.report({ progress: 70, step: 'Waiting for boot' });
  const boot = await waitForBoot(client, restored.vm, {
    poweredOnAt,
    timeoutSeconds: deps.config.verificationBootTimeoutSeconds,
    graceSeconds: deps.config.verificationNoToolsGraceSeconds,
    signal,
  });
  if (!boot.booted) throw new Error(`The VM did not boot: ${boot.detail}.`);
  await record({ vm_booted: true, boot_time_seconds: boot.seconds });
  await journal.log(`Booted in ${boot.seconds} s: ${boot.detail}`);

  return runGuestChecks(ctx, v, client, restored.vm, boot.state.ipAddress, journal, record);
}

/** Runs one verification (the job's handler). @throws Error with the reason when the verification failed. */
async function runVerification(ctx: JobContext): Promise<void> {
  const { deps } = ctx;
  let v = await load(ctx);
  const journal = createJournal(deps, v.id);
  const startedAt = new Date();
  const backupName = (v.vm_backup_id && (await getBackup(deps.db, v.vm_backup_id))?.vm_name) || 'vm';
  const testVmName = v.test_vm_name ?? verificationVmName(backupName, v.id);
  await updateVerification(deps.db, v.id, {
    status: 'running',
    started_at: startedAt,
    test_vm_name: testVmName,
  });
  v = { ...v, test_vm_name: testVmName };
  await journal.log(
    `Verification ${v.id} started: ${v.test_type} of backup ${v.vm_backup_id} in "${v.test_network}"`,
  );
  const record = (results: Results) => updateVerification(deps.db, v.id, results);
  let client: VSphereClient | null = null;
  let status: 'passed' | 'warning' | 'failed' = 'failed';
  let error = '';
  try {
    status = await verify(ctx, v, journal, record, (c) => {
      client = c;
    });
  } catch (err) {
    error = ctx.signal.aborted ? errorMessage(ctx.signal.reason) : errorMessage(err);
    await journal.log(`Failed: ${error}`);
  }
  let cleaned = false;
  const open = client as VSphereClient | null;
  if (open) {
    ctx.report({ progress: 95, step: 'Cleaning up' });
    try {
      for (const line of await destroyVerificationVm(open, { name: testVmName, datastore: v.test_datastore }))
        await journal.log(line);
      cleaned = true;
      await journal.log('Cleanup done');
    } catch (err) {
      await journal.log(`Cleanup failed: ${errorMessage(err)}`);
      deps.logger.error({ verification: v.id, err }, 'verification VM not removed');
    } finally {
      await open.logout();
    }
  } else cleaned = true;
  const completed = new Date();
  const total = Math.round((completed.getTime() - startedAt.getTime()) / 1000);
  await journal.log(`Result: ${status} in ${total} s`);
  await updateVerification(deps.db, v.id, {
    status,
    error_message: error,
    vm_cleanup_done: cleaned,
    completed_at: completed,
    total_duration_seconds: total,
  });
  ctx.report({ progress: 100, step: 'Done' });
  if (status === 'failed') throw new Error(error || 'The verification failed.');
}

export { runVerification };
