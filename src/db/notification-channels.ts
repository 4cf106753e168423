/** @module db/notification-channels: notification channel rows (e-mail and webhook) and their summary claim. */
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { notification_channels } from './schema.js';

export type ChannelRow = typeof notification_channels.$inferSelect;
export type ChannelInsert = typeof notification_channels.$inferInsert;

export async function listChannels(db: Db): Promise<ChannelRow[]> {
  return db.select().from(notification_channels).orderBy(asc(notification_channels.name));
}

export async function getChannel(db: Db, id: number): Promise<ChannelRow | null> {
  const [row] = await db.select().from(notification_channels).where(eq(notification_channels.id, id));
  return row ?? null;
}

export async function isChannelNameTaken(db: Db, name: string, exceptId?: number): Promise<boolean> {
  const rows = await db
    .select({ id: notification_channels.id })
    .from(notification_channels)
    .where(eq(notification_channels.name, name));
  return rows.some((r) => r.id !== exceptId);
}

export async function insertChannel(db: Db, values: ChannelInsert): Promise<ChannelRow> {
  const [row] = await db.insert(notification_channels).values(values).returning();
  return row as ChannelRow;
}

export async function updateChannel(
  db: Db,
  id: number,
  values: Partial<ChannelInsert>,
): Promise<ChannelRow | null> {
  const [row] = await db
    .update(notification_channels)
    .set({ ...values, updated_at: new Date() })
    .where(eq(notification_channels.id, id))
    .returning();
  return row ?? null;
}

/** @returns whether a row was deleted (its deliveries go with it). */
export async function deleteChannel(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(notification_channels)
    .where(eq(notification_channels.id, id))
    .returning({ id: notification_channels.id });
  return rows.length > 0;
}

/** Active channels that chose the daily summary and whose `summary_next_at` has passed (or is unset). */
export async function dueSummaryChannels(db: Db, now: Date): Promise<ChannelRow[]> {
  const rows = await db
    .select()
    .from(notification_channels)
    .where(
      and(
        eq(notification_channels.is_active, true),
        sql`${notification_channels.events} @> '["daily_summary"]'::jsonb`,
      ),
    );
  return rows.filter((r) => !r.summary_next_at || r.summary_next_at <= now);
}

/**
 * Claims one daily summary of a channel: moves `summary_next_at` from the value this process read to `next`.
 * @returns true for the one process whose UPDATE changed the row.
 */
export async function claimSummary(db: Db, seen: ChannelRow, next: Date): Promise<boolean> {
  const guard = seen.summary_next_at
    ? and(
        eq(notification_channels.summary_next_at, seen.summary_next_at),
        lte(notification_channels.summary_next_at, new Date()),
      )
    : isNull(notification_channels.summary_next_at);
  const rows = await db
    .update(notification_channels)
    .set({ summary_next_at: next })
    .where(and(eq(notification_channels.id, seen.id), guard))
    .returning({ id: notification_channels.id });
  return rows.length === 1;
}
