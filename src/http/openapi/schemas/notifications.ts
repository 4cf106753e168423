/** @module http/openapi/schemas/notifications: what `/api/notification-channels/` and `/api/notification-deliveries/` answer. */
import { z } from 'zod';
import {
  NOTIFICATION_EVENTS,
  NOTIFICATION_KINDS,
  NOTIFICATION_LANGUAGES,
  NOTIFICATION_STATUSES,
} from '../../../db/schema.js';
import { SMTP_SECURITY, WEBHOOK_FORMATS } from '../../../notifications/index.js';
import { count, id, nullableTimestamp, timestamp } from './fields.js';

/** A channel; its secrets appear only as `has_password`, `has_secret`, `has_token`. */
export const channelResponseSchema = z.object({
  id,
  name: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  language: z.enum(NOTIFICATION_LANGUAGES).describe('Language of its messages.'),
  events: z.array(z.enum(NOTIFICATION_EVENTS)),
  is_active: z.boolean(),
  config: z
    .object({
      host: z.string().optional(),
      port: z.number().int().optional(),
      security: z.enum(SMTP_SECURITY).optional(),
      username: z.string().optional(),
      from: z.string().optional(),
      to: z.array(z.string()).optional(),
      ca_certificate: z.string().optional(),
      url: z.string().optional(),
      format: z.enum(WEBHOOK_FORMATS).optional(),
      has_password: z.boolean().describe('An SMTP password is stored (never returned).'),
      has_secret: z.boolean().describe('A webhook signing secret is stored (never returned).'),
      has_token: z.boolean().describe('A Gotify or ntfy token is stored (never returned).'),
    })
    .describe('E-mail: host, port, security, username, from, to, ca_certificate. Webhook: url, format.'),
  summary_time: z.string().describe('Time of the daily summary, HH:MM in `summary_timezone`.'),
  summary_timezone: z.string(),
  attach_reports: z
    .boolean()
    .describe('The daily summary mail carries the protection and verification PDF reports.'),
  summary_next_at: nullableTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
});

/** The answer of a test that the server accepted. */
export const channelTestSchema = z.object({
  sent: z.literal(true),
  response: z
    .string()
    .describe('What the server answered: the SMTP response line or `HTTP <status> <reason>`.'),
});

/** A delivery of the outbox. */
export const deliveryResponseSchema = z.object({
  id,
  event: z.enum(NOTIFICATION_EVENTS),
  event_id: id,
  title: z.string().describe('The event’s title, in the language of Accept-Language.'),
  channel: id,
  channel_name: z.string(),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: count,
  last_error: z
    .string()
    .nullable()
    .describe('Why the last attempt failed, in the language of Accept-Language.'),
  error_code: z.string().nullable(),
  response: z.string().nullable().describe('What the server answered last (SMTP line or HTTP status).'),
  next_attempt_at: nullableTimestamp.describe('When a pending delivery is tried next.'),
  created_at: timestamp,
  sent_at: nullableTimestamp,
});
