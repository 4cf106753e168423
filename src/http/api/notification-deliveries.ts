/**
 * @module http/api/notification-deliveries: `/api/notification-deliveries/` (the outbox, newest first, the 500
 * most recent; `?status=` `pending` | `sent` | `failed`, `?channel=` id): each delivery with its event, channel,
 * attempts, last error (in the request's language, with its code) and the server's last answer.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { type DeliveryView, listDeliveries } from '../../db/notification-outbox.js';
import { NOTIFICATION_STATUSES } from '../../db/schema.js';
import { storedCode } from '../../i18n/message.js';
import type { Translate } from '../../i18n/translate.js';
import type { AppEnv } from '../context.js';
import { paginate } from './pagination.js';
import { enumFilter, idFilter, parseQuery } from './query.js';

/** Filters of `GET /api/notification-deliveries/`. */
export const deliveryFilters = z.object({
  status: enumFilter(NOTIFICATION_STATUSES, 'Only the deliveries in this status.'),
  channel: idFilter('Only the deliveries to this channel (id).'),
});

/** The JSON of one delivery. */
export function deliveryJson(t: Translate, d: DeliveryView) {
  return {
    id: d.id,
    event: d.event_type,
    event_id: d.event_id,
    title: t.message(d.title),
    channel: d.channel_id,
    channel_name: d.channel_name,
    status: d.status,
    attempts: d.attempts,
    last_error: d.last_error ? t.stored(d.last_error) : null,
    error_code: storedCode(d.last_error) ?? null,
    response: d.response,
    next_attempt_at: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
    created_at: d.created_at.toISOString(),
    sent_at: d.sent_at?.toISOString() ?? null,
  };
}

export const notificationDeliveriesApi = new Hono<AppEnv>().get('/', async (c) => {
  const filters = parseQuery(c, deliveryFilters);
  const rows = await listDeliveries(c.get('deps').db, { status: filters.status, channelId: filters.channel });
  const page = paginate(c, rows);
  return c.json(page.answer(page.rows.map((d) => deliveryJson(c.get('t'), d))));
});
