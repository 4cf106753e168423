/**
 * @module backup/snapshot-sweep: removes the snapshots the ledger still lists once their job is over
 * (finished, or failed as interrupted when its worker died). Runs from a periodic timer and from the job
 * runner's `cleanupInterrupted`; errors are kept on the row (`last_error`) and retried next time.
 */
import { getServerRow } from '../db/esxi-servers.js';
import {
  type LedgerRow,
  markSnapshotRemoved,
  openSnapshots,
  setSnapshotError,
} from '../db/snapshot-ledger.js';
import type { AppDeps } from '../deps.js';
import { AppError, NotFoundError } from '../errors.js';
import { msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import {
  asArray,
  asMoRef,
  asString,
  type MoRef,
  removeSnapshot,
  retrieveOne,
  snapshotRef,
  toVSphereError,
  type VSphereClient,
  vmRef,
} from '../vsphere/index.js';
import { asRecord } from '../vsphere/normalize.js';

type Deps = Pick<AppDeps, 'db' | 'config' | 'credentials' | 'logger'>;

const isGone = (err: unknown) => toVSphereError(err).code === 'ManagedObjectNotFound';

/** Snapshots of a VM named `name`, anywhere in its snapshot tree (VirtualMachineSnapshotTree). */
async function findByName(client: VSphereClient, vm: MoRef, name: string): Promise<MoRef[]> {
  const props = await retrieveOne(client, vm, ['snapshot']);
  const found: MoRef[] = [];
  const walk = (trees: unknown) => {
    for (const raw of asArray(trees)) {
      const t = asRecord(raw);
      const ref = asMoRef(t.snapshot);
      if (ref && asString(t.name) === name) found.push(ref);
      walk(t.childSnapshotList);
    }
  };
  walk(asRecord(props.snapshot).rootSnapshotList);
  return found;
}

/**
 * Removes the snapshot a ledger row names: by MoRef, or (when the MoRef was never stored) by name in the
 * VM's snapshot tree. A snapshot or VM that no longer exists counts as removed.
 * @throws VSphereError for any other failure (host unreachable, task failed).
 * Reference: vSphere API "VirtualMachineSnapshot.RemoveSnapshot_Task", "VirtualMachine.snapshot".
 */
export async function removeLedgerSnapshot(client: VSphereClient, row: LedgerRow): Promise<void> {
  try {
    const refs = row.snapshot_moref
      ? [snapshotRef(row.snapshot_moref)]
      : await findByName(client, vmRef(row.vm_moref), row.snapshot_name);
    for (const ref of refs) {
      try {
        await removeSnapshot(client, ref);
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    }
  } catch (err) {
    if (!isGone(err)) throw toVSphereError(err);
  }
}

/** What a sweep did. */
export interface SweepResult {
  removed: number;
  failed: number;
}

/**
 * Removes every open ledger snapshot whose job is not IN_PROGRESS (one session per host), marking each
 * removed, or recording the error in `last_error` to retry next time. Never throws for a host failure.
 * @param filter.jobId only the rows of that job (for `cleanupInterrupted`).
 * @returns how many snapshots were removed and how many failed.
 */
export async function sweepSnapshots(deps: Deps, filter: { jobId?: number } = {}): Promise<SweepResult> {
  const rows = await openSnapshots(deps.db, filter);
  const byServer = new Map<number, LedgerRow[]>();
  for (const row of rows)
    byServer.set(row.esxi_server_id, [...(byServer.get(row.esxi_server_id) ?? []), row]);
  const result: SweepResult = { removed: 0, failed: 0 };
  for (const [serverId, serverRows] of byServer) {
    let client: VSphereClient | null = null;
    try {
      const server = await getServerRow(deps.db, serverId);
      if (!server) throw new NotFoundError(msg('backups.request.server_unknown', { id: serverId }));
      client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
      for (const row of serverRows) {
        try {
          await removeLedgerSnapshot(client, row);
          await markSnapshotRemoved(deps.db, row.id);
          result.removed++;
        } catch (err) {
          await setSnapshotError(deps.db, row.id, err);
          result.failed++;
        }
      }
    } catch (err) {
      const error = err instanceof AppError ? err : toVSphereError(err);
      for (const row of serverRows) await setSnapshotError(deps.db, row.id, error);
      result.failed += serverRows.length;
      deps.logger.warn({ server: serverId, error: error.message }, 'snapshot sweep: host failed');
    } finally {
      await client?.logout();
    }
  }
  if (rows.length) deps.logger.info(result, 'snapshot sweep done');
  return result;
}
