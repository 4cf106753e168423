/**
 * @module db/ovf-export-source: what an export request names as its source, checked. `{virtual_machine}` is the
 * VM straight from its host (ExportVm), which must be powered off as the inventory last saw it (a host that
 * says otherwise still refuses with InvalidPowerState: the job then fails with that message);
 * `{vm_backup}` is a completed restore point of the repository format. Also what a VM's page offers.
 */
import { and, desc, eq } from 'drizzle-orm';
import { InvalidInputError } from '../errors.js';
import { type MessageParams, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';
import type { Db } from './client.js';
import { jobs, type OvfSource, virtual_machines, vm_backups } from './schema.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The checked source of an export. */
export interface ExportSource {
  source: OvfSource;
  virtual_machine_id: number | null;
  vm_backup_id: number | null;
  vm_name: string;
  /** Host of a `host` export (also the job's, for the per-host limit). */
  esxi_server_id: number | null;
  /** The storage path to write to when the request names none (a restore point's own), else null. */
  storage_path_id: number | null;
}

/** A 400 naming `field`. */
export function refused(field: string, key: MessageKey, params?: MessageParams): InvalidInputError {
  const message = msg(key, params);
  return new InvalidInputError({ [field]: [message] }, message);
}

/**
 * Resolves and checks the source.
 * @param input exactly one of virtual_machine_id and vm_backup_id (checked by the caller).
 * @throws InvalidInputError (400) on `virtual_machine` (unknown, not powered off) or `vm_backup` (unknown, not a
 *   completed repository restore point).
 */
export async function exportSource(
  tx: Tx,
  input: { virtual_machine_id?: number; vm_backup_id?: number },
): Promise<ExportSource> {
  if (input.vm_backup_id) {
    const [row] = await tx
      .select({ backup: vm_backups, status: jobs.status })
      .from(vm_backups)
      .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
      .where(eq(vm_backups.id, input.vm_backup_id));
    if (!row) throw refused('vm_backup', 'ovf.request.backup_unknown', { id: input.vm_backup_id });
    if (row.status !== 'COMPLETED' || row.backup.format !== 'repository' || !row.backup.index_path)
      throw refused('vm_backup', 'ovf.request.backup_incomplete', { id: input.vm_backup_id });
    return {
      source: 'restore_point',
      virtual_machine_id: row.backup.virtual_machine_id,
      vm_backup_id: row.backup.id,
      vm_name: row.backup.vm_name,
      esxi_server_id: null,
      storage_path_id: row.backup.storage_path_id,
    };
  }
  const id = input.virtual_machine_id as number;
  const [vm] = await tx.select().from(virtual_machines).where(eq(virtual_machines.id, id));
  if (!vm) throw refused('virtual_machine', 'ovf.request.vm_unknown', { id });
  if (vm.power_state !== 'poweredOff')
    throw refused('virtual_machine', 'ovf.request.vm_not_off', { vm: vm.name, state: vm.power_state });
  return {
    source: 'host',
    virtual_machine_id: vm.id,
    vm_backup_id: null,
    vm_name: vm.name,
    esxi_server_id: vm.esxi_server_id,
    storage_path_id: null,
  };
}

/** What the VM page offers to export: the VM from its host, its newest restore point, or nothing. */
export type VmExportOffer =
  | { source: 'host' }
  | { source: 'restore_point'; vm_backup_id: number }
  | { source: null };

/**
 * The export a VM's page offers: from the host when the inventory saw it powered off (ExportVm needs that),
 * else its newest completed repository restore point (a running VM is exported from its backup), else none.
 */
export async function vmExportOffer(db: Db, vm: { id: number; power_state: string }): Promise<VmExportOffer> {
  if (vm.power_state === 'poweredOff') return { source: 'host' };
  const [row] = await db
    .select({ id: vm_backups.id })
    .from(vm_backups)
    .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
    .where(
      and(
        eq(vm_backups.virtual_machine_id, vm.id),
        eq(jobs.status, 'COMPLETED'),
        eq(vm_backups.format, 'repository'),
      ),
    )
    .orderBy(desc(vm_backups.created_at), desc(vm_backups.id))
    .limit(1);
  return row ? { source: 'restore_point', vm_backup_id: row.id } : { source: null };
}
