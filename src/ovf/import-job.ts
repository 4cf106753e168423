/**
 * @module ovf/import-job: the `ovf_import` job. Imports a completed OVF export to the host and datastore of
 * its `ovf_imports` row under the new name (import-package.ts: manifest checked first, CreateImportSpec,
 * ImportVApp, uploads through the lease, complete), powers the VM on when asked, then syncs that host's
 * inventory. The lease and the VM are recorded on the row while the upload runs, so that the cleanup after a
 * dead worker aborts the lease and destroys the half-made VM; the lease is cleared once complete.
 */
import { getServerRow } from '../db/esxi-servers.js';
import { getOvfExport } from '../db/ovf-exports.js';
import { getOvfImportByJob, setOvfImportHostObjects } from '../db/ovf-imports.js';
import type { AppDeps } from '../deps.js';
import { msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import { syncInventory } from '../inventory/sync.js';
import type { JobContext, JobRow, JobTypeDefinition } from '../jobs/types.js';
import { abortLease } from '../vsphere/nfc-lease.js';
import { powerOn } from '../vsphere/vm-ops.js';
import { OvfError } from './errors.js';
import { discardImportedVm, importPackage } from './import-package.js';

async function loadImport(ctx: JobContext) {
  const row = await getOvfImportByJob(ctx.deps.db, ctx.job.id);
  if (!row) throw new OvfError('no_import_row', 'ovf.import.no_import_row', { job: ctx.job.id });
  const exp = row.ovf_export_id ? await getOvfExport(ctx.deps.db, row.ovf_export_id).catch(() => null) : null;
  const server = row.esxi_server_id ? await getServerRow(ctx.deps.db, row.esxi_server_id) : null;
  if (!exp?.package_path || exp.status !== 'COMPLETED' || !server)
    throw new OvfError('destination_gone', 'ovf.import.destination_gone');
  return { row, packagePath: exp.package_path, server };
}

/**
 * Runs one import. Progress: 0-95 % the import (manifest check, then bytes uploaded), power-on, sync.
 * @throws as `importPackage`; VSphereError from the power-on (the VM is destroyed then); OvfError when the
 *   export or host is gone; the abort reason when cancelled.
 */
async function runImport(ctx: JobContext): Promise<void> {
  const { deps, signal } = ctx;
  const { row, packagePath, server } = await loadImport(ctx);
  ctx.report({ progress: 0, step: msg('step.connecting', { server: server.name }) });
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  try {
    const vm = await importPackage(client, {
      packagePath,
      datastore: row.datastore,
      vmName: row.vm_name,
      hostName: server.name,
      signal,
      progress: { from: 0, to: 95, report: ctx.report },
      onLease: (lease) => setOvfImportHostObjects(deps.db, row.id, { lease_moref: lease?.value ?? null }),
      onVm: (v) => setOvfImportHostObjects(deps.db, row.id, { vm_moref: v.value }),
    });
    if (row.power_on) {
      ctx.report({ progress: 96, step: msg('step.powering_on') });
      try {
        await powerOn(client, vm);
      } catch (err) {
        ctx.report({ step: msg('step.cleanup') });
        await discardImportedVm(client, vm);
        await setOvfImportHostObjects(deps.db, row.id, { vm_moref: null });
        throw err;
      }
    }
  } finally {
    await client.logout();
  }
  ctx.report({ progress: 97, step: msg('step.inventory') });
  await syncInventory(deps, server.id).catch((err: unknown) =>
    deps.logger.warn(
      { job: ctx.job.id, error: (err as Error).message },
      'inventory sync after import failed',
    ),
  );
  ctx.report({ progress: 100, step: msg('step.done') });
}

/** After a dead worker: aborts the lease it held and destroys the VM it was filling (idempotent). */
async function cleanupImport(job: JobRow, deps: AppDeps): Promise<void> {
  const row = await getOvfImportByJob(deps.db, job.id);
  if (!row?.lease_moref || !row.esxi_server_id) return;
  const server = await getServerRow(deps.db, row.esxi_server_id);
  if (!server) return;
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  try {
    await abortLease(client, { type: 'HttpNfcLease', value: row.lease_moref });
    if (row.vm_moref) await discardImportedVm(client, { type: 'VirtualMachine', value: row.vm_moref });
    await setOvfImportHostObjects(deps.db, row.id, { lease_moref: null, vm_moref: null });
  } finally {
    await client.logout();
  }
}

/** The `ovf_import` job type. */
export const ovfImportJob: JobTypeDefinition = {
  handler: runImport,
  cancellable: true,
  cleanupInterrupted: cleanupImport,
};
