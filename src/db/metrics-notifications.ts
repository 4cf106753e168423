/** @module db/metrics-notifications: the notifications family's counts (deliveries by status, active channels). */
import { eq, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { NOTIFICATION_STATUSES, notification_channels, notification_deliveries } from './schema.js';

/** Deliveries in the outbox per status (every status present, 0 when none). */
export async function deliveryCounts(
  db: Db,
): Promise<Record<(typeof NOTIFICATION_STATUSES)[number], number>> {
  const rows = await db
    .select({ status: notification_deliveries.status, n: sql<number>`count(*)::int` })
    .from(notification_deliveries)
    .groupBy(notification_deliveries.status);
  const out = Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, 0])) as Record<
    (typeof NOTIFICATION_STATUSES)[number],
    number
  >;
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** Channels that are active. */
export async function activeChannelCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notification_channels)
    .where(eq(notification_channels.is_active, true));
  return Number(row?.n ?? 0);
}
