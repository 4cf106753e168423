/**
 * @module db/lab-nic-moves: the record of a test VM's network adapters moved onto a test network
 * (`lab_nic_moves`): their original portgroups, written before the move, read back to move them home once the
 * test is over. At most one open row per host and VM.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { codeOf, messageOf } from '../errors.js';
import { storeMessage } from '../i18n/message.js';
import type { Db } from './client.js';
import { jobs, type LabMovedNic, type LabNetworkUserKind, lab_nic_moves } from './schema.js';

export type LabNicMoveRow = typeof lab_nic_moves.$inferSelect;

/** What a test is about to move: its VM, the test portgroup and each adapter's original backing. */
export interface LabNicMoveInput {
  esxi_server_id: number;
  kind: LabNetworkUserKind;
  owner_id: number;
  job_id: number | null;
  vm_name: string;
  vm_moref: string;
  test_portgroup: string;
  original_nics: LabMovedNic[];
}

/**
 * Records a move before it is made: closes the VM's open record (a newer test takes over) and inserts the new
 * one, in one transaction. @returns the new row.
 */
export async function recordNicMove(db: Db, input: LabNicMoveInput): Promise<LabNicMoveRow> {
  return db.transaction(async (tx) => {
    await tx
      .update(lab_nic_moves)
      .set({ closed_at: new Date() })
      .where(
        and(
          eq(lab_nic_moves.esxi_server_id, input.esxi_server_id),
          eq(lab_nic_moves.vm_moref, input.vm_moref),
          isNull(lab_nic_moves.closed_at),
        ),
      );
    const [row] = await tx.insert(lab_nic_moves).values(input).returning();
    return row as LabNicMoveRow;
  });
}

/** The VM's latest record (open or closed), or null: where its adapters were before a test moved them. */
export async function latestNicMove(
  db: Db,
  serverId: number,
  vmMoref: string,
): Promise<LabNicMoveRow | null> {
  const [row] = await db
    .select()
    .from(lab_nic_moves)
    .where(and(eq(lab_nic_moves.esxi_server_id, serverId), eq(lab_nic_moves.vm_moref, vmMoref)))
    .orderBy(desc(lab_nic_moves.id))
    .limit(1);
  return row ?? null;
}

/**
 * Open records, with whether their job still runs (`IN_PROGRESS`), oldest first.
 * @param filter.jobId only that job's; filter.serverId only that host's; filter.vmMoref only that VM's.
 */
export async function openNicMoves(
  db: Db,
  filter: { jobId?: number; serverId?: number; vmMoref?: string } = {},
): Promise<Array<LabNicMoveRow & { job_running: boolean }>> {
  const rows = await db
    .select({ move: lab_nic_moves, status: jobs.status })
    .from(lab_nic_moves)
    .leftJoin(jobs, eq(jobs.id, lab_nic_moves.job_id))
    .where(
      and(
        isNull(lab_nic_moves.closed_at),
        filter.jobId === undefined ? undefined : eq(lab_nic_moves.job_id, filter.jobId),
        filter.serverId === undefined ? undefined : eq(lab_nic_moves.esxi_server_id, filter.serverId),
        filter.vmMoref === undefined ? undefined : eq(lab_nic_moves.vm_moref, filter.vmMoref),
      ),
    )
    .orderBy(lab_nic_moves.id);
  return rows.map((r) => ({ ...r.move, job_running: r.status === 'IN_PROGRESS' }));
}

/** Closes records (the adapters are back, or the VM is gone); idempotent. */
export async function closeNicMoves(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(lab_nic_moves)
    .set({ closed_at: new Date(), last_error: null })
    .where(and(inArray(lab_nic_moves.id, ids), isNull(lab_nic_moves.closed_at)));
}

/** Keeps why moving the adapters back failed (a stored message with its code); the record stays open. */
export async function setNicMoveError(db: Db, id: number, error: unknown): Promise<void> {
  await db
    .update(lab_nic_moves)
    .set({ last_error: storeMessage(messageOf(error), codeOf(error)) })
    .where(eq(lab_nic_moves.id, id));
}
