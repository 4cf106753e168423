/**
 * @module snapshots/host: the VM a snapshot operation works on, a session to its host, and its tree read with
 * what the app knows of each snapshot (a backup's `ebm-backup-*`, a schedule's), stored on the VM row so that
 * the inventory (and `esxi_snapshots_total`) follow each operation without waiting for the next sync.
 */

import type { EsxiServerRow } from '../db/esxi-servers.js';
import { getServerRow } from '../db/esxi-servers.js';
import { getVirtualMachine, type VirtualMachineRow } from '../db/inventory.js';
import { recordsOfVm, setVmSnapshots } from '../db/snapshot-records.js';
import type { AppDeps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import { readSnapshotTree, type SnapshotNode, type VSphereClient, vmRef } from '../vsphere/index.js';

type Deps = Pick<AppDeps, 'db' | 'config' | 'credentials'>;

/** Backups name their snapshots `ebm-backup-…` (src/backup/vm-backup.ts). */
export const BACKUP_SNAPSHOT_PREFIX = 'ebm-backup-';

/** A snapshot as the app shows it: the host's facts and the app's marks. */
export interface SnapshotView extends SnapshotNode {
  is_backup: boolean;
  /** The snapshot schedule that made it, null for any other. */
  schedule: number | null;
}

/**
 * The VM `vmId` and its host's row.
 * @throws NotFoundError (no such VM); ConflictError `vm_gone` (no longer on its host, or host removed).
 */
export async function vmTarget(
  deps: Deps,
  vmId: number,
): Promise<{ vm: VirtualMachineRow; server: EsxiServerRow }> {
  const row = await getVirtualMachine(deps.db, vmId);
  if (!row) throw new NotFoundError();
  const server = await getServerRow(deps.db, row.vm.esxi_server_id);
  if (!row.vm.is_present || !server)
    throw new ConflictError('vm_gone', msg('snapshots.error.vm_gone', { vm: row.vm.name }));
  return { vm: row.vm, server };
}

/** Runs `fn` with a session to `server`, logged out afterwards. @throws VSphereError (connection). */
export async function withHost<T>(deps: Deps, server: EsxiServerRow, fn: (c: VSphereClient) => Promise<T>) {
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => {});
  }
}

/**
 * Reads the VM's tree on its host, marks each snapshot and stores the list on the VM row.
 * @returns the snapshots in tree order (parents first).
 * @throws VSphereError (host unreachable, VM gone from the host).
 */
export async function readVmSnapshots(
  deps: Deps,
  client: VSphereClient,
  vm: VirtualMachineRow,
): Promise<SnapshotView[]> {
  const tree = await readSnapshotTree(client, vmRef(vm.moref));
  const owned = new Map((await recordsOfVm(deps.db, vm.id)).map((r) => [r.snapshot_moref, r.schedule_id]));
  await setVmSnapshots(
    deps.db,
    vm.id,
    tree.snapshots.map((s) => ({
      moref: s.moref,
      name: s.name,
      description: s.description,
      created_at: s.created_at,
      parent: s.parent,
    })),
  );
  return tree.snapshots.map((s) => ({
    ...s,
    is_backup: s.name.startsWith(BACKUP_SNAPSHOT_PREFIX),
    schedule: owned.get(s.moref) ?? null,
  }));
}

/** MoRef values as the API takes them: a MoRef's characters, 1 to 80 of them. */
export const MOREF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$/;
