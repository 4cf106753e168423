/**
 * @module ovf/export-job: the `ovf_export` job, dispatching on the export's source: `host` (the powered-off
 * VM straight from its host, host-export.ts) or `restore_point` (restore-point-export.ts). Both write inside
 * `<export_dir>.partial`, renamed to `<export_dir>` when complete (package-dir.ts); a failure or cancel removes
 * the partial folder and aborts an open lease. After a dead worker the cleanup aborts the lease the row
 * recorded (connecting to its host) and removes the partial folder. The package path is recorded only once
 * complete.
 */
import { rm } from 'node:fs/promises';
import { getServerRow } from '../db/esxi-servers.js';
import { getOvfExportByJob, type OvfExportRow, setOvfExportLease } from '../db/ovf-exports.js';
import type { AppDeps } from '../deps.js';
import { connectToServer } from '../inventory/connect.js';
import type { JobContext, JobRow, JobTypeDefinition } from '../jobs/types.js';
import { abortLease } from '../vsphere/nfc-lease.js';
import { OvfError } from './errors.js';
import { runHostExport } from './host-export.js';
import { partialDir } from './package-dir.js';
import { runRestorePointExport } from './restore-point-export.js';

/** Runs one export from its source. @throws as runHostExport / runRestorePointExport; OvfError `no_export_row`. */
async function runExport(ctx: JobContext): Promise<void> {
  const row = await getOvfExportByJob(ctx.deps.db, ctx.job.id);
  if (!row) throw new OvfError('no_export_row', 'ovf.error.no_export_row', { job: ctx.job.id });
  if (row.source === 'host') await runHostExport(ctx, row);
  else await runRestorePointExport(ctx, row);
}

/** Aborts the HttpNfcLease a dead worker left open (a host that cannot be reached keeps it until it times out). */
async function abortLeftLease(row: OvfExportRow, deps: AppDeps): Promise<void> {
  const server = row.nfc_lease && row.esxi_server_id ? await getServerRow(deps.db, row.esxi_server_id) : null;
  if (!server || !row.nfc_lease) return;
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  try {
    await abortLease(client, { type: 'HttpNfcLease', value: row.nfc_lease });
  } finally {
    await client.logout();
  }
  await setOvfExportLease(deps.db, row.id, null);
}

/**
 * After a dead worker: aborts its open lease, then removes the partial package folder (idempotent; the folder
 * goes even when the host cannot be reached, whose error is then thrown).
 */
async function cleanupExport(job: JobRow, deps: AppDeps): Promise<void> {
  const row = await getOvfExportByJob(deps.db, job.id);
  if (!row) return;
  try {
    await abortLeftLease(row, deps);
  } finally {
    await rm(partialDir(row), { recursive: true, force: true });
  }
}

/** The `ovf_export` job type. */
export const ovfExportJob: JobTypeDefinition = {
  handler: runExport,
  cancellable: true,
  cleanupInterrupted: cleanupExport,
};
