/**
 * @module db/snapshot-ledger: queries on `snapshot_ledger`, the record of every snapshot the app creates
 * (written before the snapshot exists, marked when it is gone) so that nothing a crash leaves behind is
 * forgotten. A failed removal keeps its error as a stored message (src/i18n/message.ts) with its code.
 */
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { codeOf, messageOf } from '../errors.js';
import { storeMessage } from '../i18n/message.js';
import type { Db } from './client.js';
import { jobs, snapshot_ledger } from './schema.js';

export type LedgerRow = typeof snapshot_ledger.$inferSelect;

/** Records a snapshot about to be created. @returns the ledger row. */
export async function recordSnapshot(
  db: Db,
  values: { esxi_server_id: number; vm_moref: string; snapshot_name: string; job_id: number | null },
): Promise<LedgerRow> {
  const [row] = await db.insert(snapshot_ledger).values(values).returning();
  return row as LedgerRow;
}

/** Stores the MoRef value of the created snapshot. */
export async function setSnapshotMoref(db: Db, id: number, moref: string): Promise<void> {
  await db.update(snapshot_ledger).set({ snapshot_moref: moref }).where(eq(snapshot_ledger.id, id));
}

/** Marks a snapshot as removed (or found already gone). */
export async function markSnapshotRemoved(db: Db, id: number): Promise<void> {
  await db
    .update(snapshot_ledger)
    .set({ removed_at: new Date(), last_error: null })
    .where(eq(snapshot_ledger.id, id));
}

/**
 * Records why a removal failed; the sweep retries.
 * @param error the thrown value: stored as its message and code (src/errors.ts `messageOf`, `codeOf`).
 */
export async function setSnapshotError(db: Db, id: number, error: unknown): Promise<void> {
  await db
    .update(snapshot_ledger)
    .set({ last_error: storeMessage(messageOf(error), codeOf(error)) })
    .where(eq(snapshot_ledger.id, id));
}

/**
 * Ledger rows still open whose job is not running (finished, failed, cancelled, deleted, or none).
 * @param filter.jobId only that job's rows.
 */
export async function openSnapshots(db: Db, filter: { jobId?: number } = {}): Promise<LedgerRow[]> {
  const rows = await db
    .select({ row: snapshot_ledger })
    .from(snapshot_ledger)
    .leftJoin(jobs, eq(jobs.id, snapshot_ledger.job_id))
    .where(
      and(
        isNull(snapshot_ledger.removed_at),
        or(isNull(jobs.id), ne(jobs.status, 'IN_PROGRESS')),
        filter.jobId === undefined ? undefined : eq(snapshot_ledger.job_id, filter.jobId),
      ),
    )
    .orderBy(snapshot_ledger.id);
  return rows.map((r) => r.row);
}
