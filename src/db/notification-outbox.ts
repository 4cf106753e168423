/**
 * @module db/notification-outbox: the durable outbox. `insertEvent` writes an event and one delivery per
 * matching active channel in a single statement (atomic, and inside the caller's transaction when given one);
 * the delivery loop claims due deliveries with `FOR UPDATE SKIP LOCKED` and a lease, then marks each sent,
 * due again later, or failed. A lease left by a dead process expires and the delivery is claimed again.
 */
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import {
  type NotificationContent,
  type NotificationEventType,
  notification_channels,
  notification_deliveries,
  notification_events,
} from './schema.js';

export type DeliveryRow = typeof notification_deliveries.$inferSelect;

/**
 * Writes an event and its deliveries: every active channel that chose `type`, or only `channelIds` when given.
 * @returns the event id and how many deliveries were queued.
 */
export async function insertEvent(
  db: Db,
  type: NotificationEventType,
  content: NotificationContent,
  channelIds?: number[],
): Promise<{ eventId: number; deliveries: number }> {
  const only = !channelIds
    ? sql``
    : channelIds.length
      ? sql`and c.id in (${sql.join(
          channelIds.map((id) => sql`${id}::int`),
          sql`, `,
        )})`
      : sql`and false`;
  const rows = await db.execute<{ event_id: number; deliveries: number }>(sql`
    with e as (
      insert into notification_events (type, content) values (${type}, ${JSON.stringify(content)}::jsonb)
      returning id
    ), d as (
      insert into notification_deliveries (event_id, channel_id)
      select e.id, c.id from e, notification_channels c
      where c.is_active and c.events @> jsonb_build_array(${type}::text) ${only}
      returning id
    )
    select (select id from e) as event_id, (select count(*)::int from d) as deliveries`);
  const row = (Array.isArray(rows) ? rows[0] : (rows as { rows: unknown[] }).rows[0]) as {
    event_id: number;
    deliveries: number;
  };
  return { eventId: Number(row.event_id), deliveries: Number(row.deliveries) };
}

/** A claimed delivery with its event and channel. */
export interface ClaimedDelivery {
  delivery: DeliveryRow;
  type: NotificationEventType;
  content: NotificationContent;
  channel: typeof notification_channels.$inferSelect;
}

/**
 * Claims up to `limit` due deliveries (pending, `next_attempt_at` passed, no live lease) for `leaseSeconds`,
 * counting the attempt. @returns them with their events and channels.
 */
export async function claimDeliveries(
  db: Db,
  limit: number,
  leaseSeconds: number,
): Promise<ClaimedDelivery[]> {
  const claimed = await db.execute<{ id: number }>(sql`
    update notification_deliveries set lease_until = now() + make_interval(secs => ${leaseSeconds}),
      attempts = attempts + 1
    where id in (
      select id from notification_deliveries
      where status = 'pending' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
      order by next_attempt_at, id limit ${limit} for update skip locked)
    returning id`);
  const ids = (Array.isArray(claimed) ? claimed : (claimed as { rows: { id: number }[] }).rows).map((r) =>
    Number(r.id),
  );
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(notification_deliveries)
    .innerJoin(notification_events, eq(notification_events.id, notification_deliveries.event_id))
    .innerJoin(notification_channels, eq(notification_channels.id, notification_deliveries.channel_id))
    .where(inArray(notification_deliveries.id, ids));
  return rows.map((r) => ({
    delivery: r.notification_deliveries,
    type: r.notification_events.type,
    content: r.notification_events.content,
    channel: r.notification_channels,
  }));
}

/** Marks a claimed delivery sent with the server's answer (only while this process still holds its lease). */
export async function markSent(db: Db, d: DeliveryRow, response: string): Promise<boolean> {
  const rows = await db
    .update(notification_deliveries)
    .set({ status: 'sent', sent_at: new Date(), lease_until: null, response, last_error: null })
    .where(leaseHeld(d))
    .returning({ id: notification_deliveries.id });
  return rows.length === 1;
}

/**
 * Records a failed attempt: due again at `retryAt`, or `failed` for good when `retryAt` is null.
 * @param error the stored message of the failure; @param response the server's answer, if any.
 */
export async function markAttemptFailed(
  db: Db,
  d: DeliveryRow,
  error: string,
  response: string | null,
  retryAt: Date | null,
): Promise<void> {
  await db
    .update(notification_deliveries)
    .set({
      status: retryAt ? 'pending' : 'failed',
      next_attempt_at: retryAt ?? d.next_attempt_at,
      lease_until: null,
      last_error: error,
      response,
    })
    .where(leaseHeld(d));
}

const leaseHeld = (d: DeliveryRow): SQL | undefined =>
  and(
    eq(notification_deliveries.id, d.id),
    eq(notification_deliveries.status, 'pending'),
    eq(notification_deliveries.attempts, d.attempts),
  );

/** A delivery as the page and the API list it. */
export type DeliveryView = DeliveryRow & {
  event_type: NotificationEventType;
  channel_name: string;
  title: NotificationContent['title'];
};

/** Recent deliveries, newest first, optionally of one status or channel. */
export async function listDeliveries(
  db: Db,
  filter: { status?: DeliveryRow['status']; channelId?: number; limit?: number } = {},
): Promise<DeliveryView[]> {
  const rows = await db
    .select()
    .from(notification_deliveries)
    .innerJoin(notification_events, eq(notification_events.id, notification_deliveries.event_id))
    .innerJoin(notification_channels, eq(notification_channels.id, notification_deliveries.channel_id))
    .where(
      and(
        filter.status ? eq(notification_deliveries.status, filter.status) : undefined,
        filter.channelId ? eq(notification_deliveries.channel_id, filter.channelId) : undefined,
      ),
    )
    .orderBy(desc(notification_deliveries.id))
    .limit(filter.limit ?? 500);
  return rows.map((r) => ({
    ...r.notification_deliveries,
    event_type: r.notification_events.type,
    channel_name: r.notification_channels.name,
    title: r.notification_events.content.title,
  }));
}

/**
 * Deletes the events older than `days` whose deliveries are all done (sent or failed), with their deliveries.
 * @returns how many events went.
 */
export async function pruneEvents(db: Db, days: number): Promise<number> {
  const rows = await db
    .delete(notification_events)
    .where(
      sql`${notification_events.created_at} < now() - make_interval(days => ${days})
        and not exists (select 1 from notification_deliveries d where d.event_id = ${notification_events.id} and d.status = 'pending')`,
    )
    .returning({ id: notification_events.id });
  return rows.length;
}
