/**
 * @module surebackup/test-vm: puts a verification's VM on the test host from its source: a restore point
 * (checksums verified, restored with its adapters on the test network, see backup/restore-vm.ts) or a
 * completed OVF export (imported with every network of the package mapped to the test network, the `.mf`
 * checked first, see ovf/import-package.ts). Either way the VM is recorded as soon as the host made it (and an
 * import's lease on the job, `payload.import_lease`, for the cleanup after a dead worker), and left powered off
 * for run.ts to isolate, boot and check.
 */
import { openRestoreSource } from '../backup/restore-source.js';
import { restoreVm } from '../backup/restore-vm.js';
import { getBackup } from '../db/backups.js';
import type { EsxiServerRow } from '../db/esxi-servers.js';
import { mergeJobPayload } from '../db/jobs.js';
import { getOvfExport } from '../db/ovf-exports.js';
import { updateVerification, type VerificationRow } from '../db/verifications.js';
import { type Message, msg } from '../i18n/message.js';
import type { JobContext } from '../jobs/types.js';
import { importPackage } from '../ovf/import-package.js';
import { asString, type MoRef, retrieveAll, type VSphereClient } from '../vsphere/index.js';
import { VerificationFailed } from './errors.js';
import type { Journal } from './journal.js';

/** Where the test VM goes: the verification, its host and session, its name. */
interface Target {
  v: VerificationRow;
  server: EsxiServerRow;
  client: VSphereClient;
  name: string;
}

const recordVm = (ctx: JobContext, v: VerificationRow) => (vm: MoRef | null) =>
  updateVerification(ctx.deps.db, v.id, { test_vm_moref: vm?.value ?? null });

/**
 * Restores the verification's backup as the test VM. Progress 2-60 %.
 * @throws VerificationFailed `backup_unavailable`; the restore's errors (a corrupt file named).
 */
async function restoreTestVm(ctx: JobContext, t: Target, journal: Journal): Promise<MoRef> {
  const { deps, signal } = ctx;
  const backup = t.v.vm_backup_id ? await getBackup(deps.db, t.v.vm_backup_id) : null;
  if (!backup?.backup_dir || backup.status !== 'COMPLETED')
    throw new VerificationFailed('backup_unavailable', 'surebackup.error.backup_unavailable');
  ctx.report({ progress: 2, step: msg('step.verifying_backup') });
  await journal.log(msg('surebackup.log.verifying', { backup: backup.id, vm: backup.vm_name }));
  const source = await openRestoreSource(deps, backup, signal, { from: 2, to: 25, report: ctx.report });
  await journal.log(msg('surebackup.log.verified', { files: source.manifest.files.length }));
  await journal.log(msg('surebackup.log.restoring', { datastore: t.v.test_datastore, name: t.name }));
  const restored = await restoreVm(
    t.client,
    {
      source,
      datastore: t.v.test_datastore,
      vmName: t.name,
      hostName: t.server.name,
      networkName: t.v.test_network,
      signal,
      progress: { from: 25, to: 60, report: ctx.report },
      onRegistered: recordVm(ctx, t.v),
    },
    (note: Message | string) =>
      void journal.log(
        typeof note === 'string' ? msg('surebackup.log.restore_note', { detail: note }) : note,
      ),
  );
  return restored.vm;
}

/**
 * Imports the verification's OVF export as the test VM, its networks mapped to the test network. Progress 2-60 %.
 * @throws VerificationFailed `export_unavailable`, `test_network_missing`; the import's errors (a tampered file).
 */
async function importTestVm(ctx: JobContext, t: Target, journal: Journal): Promise<MoRef> {
  const exp = t.v.ovf_export_id ? await getOvfExport(ctx.deps.db, t.v.ovf_export_id).catch(() => null) : null;
  if (!exp?.package_path || exp.status !== 'COMPLETED')
    throw new VerificationFailed('export_unavailable', 'surebackup.error.export_unavailable');
  const network = (await retrieveAll(t.client, 'Network', ['name'])).find(
    (n) => asString(n.props.name) === t.v.test_network,
  );
  if (!network)
    throw new VerificationFailed('test_network_missing', 'surebackup.error.import_network', {
      network: t.v.test_network,
    });
  await journal.log(
    msg('surebackup.log.importing', { export: exp.id, datastore: t.v.test_datastore, name: t.name }),
  );
  return importPackage(t.client, {
    packagePath: exp.package_path,
    datastore: t.v.test_datastore,
    vmName: t.name,
    network: network.ref,
    hostName: t.server.name,
    signal: ctx.signal,
    progress: { from: 2, to: 60, report: ctx.report },
    onVm: recordVm(ctx, t.v),
    onLease: (lease) => mergeJobPayload(ctx.deps.db, ctx.job.id, { import_lease: lease?.value ?? null }),
  });
}

/**
 * Puts the test VM on the host from the verification's source (see the module doc).
 * @returns the VM, powered off, recorded on the row.
 */
export async function createTestVm(ctx: JobContext, t: Target, journal: Journal): Promise<MoRef> {
  return t.v.ovf_export_id ? importTestVm(ctx, t, journal) : restoreTestVm(ctx, t, journal);
}
