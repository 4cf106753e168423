/**
 * @module metrics/notifications: the notifications family: deliveries of the outbox by status
 * (`esxi_notification_deliveries{status}`: `pending`, `sent`, `failed`; a row count, hence a gauge
 * without `_total`) and the active channels (`esxi_notification_channels_active`). Two small queries per scrape.
 */
import type { Db } from '../db/client.js';
import { activeChannelCount, deliveryCounts } from '../db/metrics-notifications.js';
import { type Collector, createFamily } from './collector.js';

/** The notifications family's collector. */
export function notificationsCollector(): Collector {
  const family = createFamily();
  const deliveries = family.gauge(
    'esxi_notification_deliveries',
    'Notification deliveries in the outbox, by status (pending, sent, failed).',
    ['status'],
  );
  const channels = family.gauge(
    'esxi_notification_channels_active',
    'Notification channels that are active.',
  );
  return {
    name: 'notifications',
    metrics: family.metrics,
    async update(db: Db) {
      const [counts, active] = await Promise.all([deliveryCounts(db), activeChannelCount(db)]);
      for (const [status, n] of Object.entries(counts)) deliveries.set({ status }, n);
      channels.set(active);
    },
  };
}
