/**
 * @module notifications/channel-schema: the body of a notification channel (API and page alike): `name`,
 * `kind` (`email` or `webhook`), `language`, `events`, `is_active`, the daily summary's time, zone and
 * attachments, and `config` by kind. Secrets (`config.password`, `config.secret`, `config.token`) are
 * write-only: omitted keeps the stored one, `null` or `""` removes it. Unknown fields are ignored, so a GET
 * answer sent back as a PUT changes nothing (its `has_*` flags included).
 */
import { z } from 'zod';
import { NOTIFICATION_EVENTS, NOTIFICATION_LANGUAGES } from '../db/schema.js';
import { isTimezone, serverTimezone } from '../schedule/index.js';

export const WEBHOOK_FORMATS = ['generic', 'slack', 'teams', 'ntfy', 'gotify'] as const;
export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;

const bool = z.preprocess(
  (v) => (v === 'on' || v === 'true' ? true : v === 'false' ? false : v),
  z.boolean(),
);
/** A write-only secret: a string sets it, null or "" removes it, absent keeps it. */
const secret = z
  .union([z.string().max(4096), z.null()])
  .optional()
  .transform((v) => (v === '' ? null : v));

export const emailConfigSchema = z.object({
  host: z.string().trim().min(1).max(255),
  port: z.coerce.number().int().min(1).max(65_535).default(587),
  security: z.enum(SMTP_SECURITY).default('starttls'),
  username: z.string().trim().max(255).optional(),
  password: secret,
  from: z.email({ error: 'notify.error.email' }),
  to: z
    .array(z.email({ error: 'notify.error.email' }))
    .min(1, { error: 'notify.error.recipients' })
    .max(50),
  /** PEM certificate(s) to trust for this server besides the system's (a self-signed relay). */
  ca_certificate: z.string().max(20_000).optional(),
});

export const webhookConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'notify.error.url' }).max(2000),
  format: z.enum(WEBHOOK_FORMATS).default('generic'),
  secret,
  token: secret,
});

const base = {
  name: z.string().trim().min(1).max(100),
  language: z.enum(NOTIFICATION_LANGUAGES).default('fr'),
  events: z.array(z.enum(NOTIFICATION_EVENTS)).max(NOTIFICATION_EVENTS.length).default([]),
  is_active: bool.default(true),
  summary_time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'schedule.error.time' })
    .default('08:00'),
  summary_timezone: z
    .string()
    .refine(isTimezone, { error: 'schedule.error.timezone' })
    .default(() => serverTimezone()),
  attach_reports: bool.default(false),
};

/** A whole channel (POST, PUT). */
export const channelSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...base, kind: z.literal('email'), config: emailConfigSchema }),
    z.object({ ...base, kind: z.literal('webhook'), config: webhookConfigSchema }),
  ],
  { error: 'notify.error.kind' },
);
export type ChannelInput = z.output<typeof channelSchema>;
export type EmailConfigInput = z.output<typeof emailConfigSchema>;
export type WebhookConfigInput = z.output<typeof webhookConfigSchema>;
