/**
 * @module db/ovf-imports: imports of a completed OVF export to a host (src/ovf/import-job.ts). Creating one
 * checks the request (export complete, host active, datastore on it, a new VM name the host does not have)
 * and inserts its `jobs` row (PENDING, type `ovf_import`) and its detail row in one transaction.
 */
import { and, eq } from 'drizzle-orm';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';
import { VM_NAME } from './backups.js';
import type { Db } from './client.js';
import { datastores, esxi_servers, jobs, ovf_exports, ovf_imports, virtual_machines } from './schema.js';

export type OvfImportRow = typeof ovf_imports.$inferSelect;

function refused(field: string, key: MessageKey, params?: MessageParams): InvalidInputError {
  const message = msg(key, params);
  return new InvalidInputError({ [field]: [message] }, message);
}

/** What an import asks for. */
export interface OvfImportInput {
  ovf_export_id: number;
  esxi_server_id: number;
  datastore: string;
  vm_name: string;
  power_on?: boolean;
  created_by?: number | null;
}

/**
 * Queues an import of an OVF export.
 * @throws NotFoundError (404) for an unknown export; InvalidInputError (400) naming the field: an export not
 *   complete (`_`), an unknown or inactive server (`esxi_server`), a datastore not on it (`datastore`), an
 *   empty or malformed name or one a VM of that host already has (`vm_name`).
 */
export async function createOvfImport(db: Db, input: OvfImportInput): Promise<OvfImportRow> {
  const vmName = input.vm_name.trim();
  if (!VM_NAME.test(vmName)) throw refused('vm_name', 'backups.request.vm_name');
  return db.transaction(async (tx) => {
    const [exp] = await tx
      .select({ row: ovf_exports, status: jobs.status })
      .from(ovf_exports)
      .innerJoin(jobs, eq(jobs.id, ovf_exports.job_id))
      .where(eq(ovf_exports.id, input.ovf_export_id));
    if (!exp) throw new NotFoundError(msg('ovf.import.export_unknown', { id: input.ovf_export_id }));
    if (exp.status !== 'COMPLETED' || !exp.row.package_path)
      throw refused('_', 'ovf.import.export_incomplete', { id: input.ovf_export_id });
    const [server] = await tx.select().from(esxi_servers).where(eq(esxi_servers.id, input.esxi_server_id));
    if (!server) throw refused('esxi_server', 'backups.request.server_unknown', { id: input.esxi_server_id });
    if (!server.is_active)
      throw refused('esxi_server', 'backups.request.server_inactive', { name: server.name });
    const [ds] = await tx
      .select({ id: datastores.id })
      .from(datastores)
      .where(and(eq(datastores.esxi_server_id, server.id), eq(datastores.name, input.datastore)));
    if (!ds)
      throw refused('datastore', 'backups.request.datastore_unknown', {
        datastore: input.datastore,
        server: server.name,
      });
    const [taken] = await tx
      .select({ id: virtual_machines.id })
      .from(virtual_machines)
      .where(and(eq(virtual_machines.esxi_server_id, server.id), eq(virtual_machines.name, vmName)));
    if (taken) throw refused('vm_name', 'ovf.import.name_taken', { name: vmName, server: server.name });
    const power_on = input.power_on ?? false;
    const [job] = await tx
      .insert(jobs)
      .values({
        type: 'ovf_import',
        status: 'PENDING',
        target_label: vmName,
        esxi_server_id: server.id,
        payload: { ovf_export_id: exp.row.id, datastore: input.datastore, vm_name: vmName, power_on },
        created_by: input.created_by ?? null,
      })
      .returning({ id: jobs.id });
    const [row] = await tx
      .insert(ovf_imports)
      .values({
        job_id: (job as { id: number }).id,
        ovf_export_id: exp.row.id,
        esxi_server_id: server.id,
        datastore: input.datastore,
        vm_name: vmName,
        power_on,
      })
      .returning();
    return row as OvfImportRow;
  });
}

/** The import row of a job, or null. */
export async function getOvfImportByJob(db: Db, jobId: number): Promise<OvfImportRow | null> {
  const [row] = await db.select().from(ovf_imports).where(eq(ovf_imports.job_id, jobId));
  return row ?? null;
}

/** Records the lease and VM of a running import (`lease` null once complete: the VM is then whole). */
export async function setOvfImportHostObjects(
  db: Db,
  id: number,
  objects: { lease_moref?: string | null; vm_moref?: string | null },
): Promise<void> {
  await db.update(ovf_imports).set(objects).where(eq(ovf_imports.id, id));
}

/** One import with its job's state. @throws NotFoundError. */
export async function getOvfImport(db: Db, id: number) {
  const [row] = await db
    .select({
      row: ovf_imports,
      job: {
        status: jobs.status,
        progress: jobs.progress,
        bytes_done: jobs.bytes_done,
        bytes_total: jobs.bytes_total,
        step: jobs.step,
        error: jobs.error,
        started_at: jobs.started_at,
        finished_at: jobs.finished_at,
      },
    })
    .from(ovf_imports)
    .innerJoin(jobs, eq(jobs.id, ovf_imports.job_id))
    .where(eq(ovf_imports.id, id));
  if (!row) throw new NotFoundError();
  return { ...row.row, ...row.job };
}
export type OvfImportItem = Awaited<ReturnType<typeof getOvfImport>>;
