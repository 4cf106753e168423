/**
 * @module notifications/channel-form: the Notifications page's form as flat fields (`email_host`,
 * `webhook_url`, ...) to and from the API's body, so that the page and the API share `channelSchema`. A secret
 * field left empty keeps the stored secret; its "clear" box removes it. Field errors are keyed by form field.
 */
import type { z } from 'zod';
import type { ChannelRow } from '../db/notification-channels.js';
import { isMessageKey } from '../i18n/messages.js';
import type { Translate } from '../i18n/translate.js';
import { serverTimezone } from '../schedule/index.js';

/** Form values: one string per field, `events` a list. */
export type ChannelFormValues = Record<string, string | string[] | undefined>;

const secret = (v: Record<string, unknown>, name: string) =>
  v[`${name}_clear`] ? null : typeof v[name] === 'string' && v[name] !== '' ? v[name] : undefined;

/** The API body of a submitted form. */
export function channelFromForm(v: Record<string, unknown>): Record<string, unknown> {
  const kind = v.kind === 'webhook' ? 'webhook' : 'email';
  const text = (name: string) => (typeof v[name] === 'string' ? (v[name] as string).trim() : '');
  const events = Array.isArray(v.events) ? v.events : v.events ? [v.events] : [];
  const config =
    kind === 'email'
      ? {
          host: text('email_host'),
          port: text('email_port') || undefined,
          security: text('email_security') || undefined,
          username: text('email_username') || undefined,
          password: secret(v, 'email_password'),
          from: text('email_from'),
          to: text('email_to')
            .split(/[\s,;]+/)
            .filter(Boolean),
          ca_certificate: text('email_ca_certificate') || undefined,
        }
      : {
          url: text('webhook_url'),
          format: text('webhook_format') || undefined,
          secret: secret(v, 'webhook_secret'),
          token: secret(v, 'webhook_token'),
        };
  return {
    name: text('name'),
    kind,
    language: text('language') || undefined,
    events,
    is_active: v.is_active === 'on',
    summary_time: text('summary_time') || undefined,
    summary_timezone: text('summary_timezone') || undefined,
    attach_reports: v.attach_reports === 'on',
    config,
  };
}

/** The form values of a stored channel (secrets are never put back in the form). */
export function channelToForm(row: ChannelRow): ChannelFormValues {
  const c = row.config;
  const prefix = row.kind === 'email' ? 'email' : 'webhook';
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(c))
    config[`${prefix}_${key}`] = Array.isArray(value) ? value.join('\n') : String(value ?? '');
  return {
    ...newChannelForm(),
    name: row.name,
    kind: row.kind,
    language: row.language,
    events: row.events,
    is_active: row.is_active ? 'on' : '',
    summary_time: row.summary_time,
    summary_timezone: row.summary_timezone,
    attach_reports: row.attach_reports ? 'on' : '',
    ...config,
  };
}

/** The values of a new channel's form. */
export const newChannelForm = (): ChannelFormValues => ({
  kind: 'email',
  language: 'fr',
  is_active: 'on',
  email_port: '587',
  email_security: 'starttls',
  webhook_format: 'generic',
  summary_time: '08:00',
  summary_timezone: serverTimezone(),
});

/** Field errors of the form, keyed by form field (`config.host` of an e-mail channel is `email_host`). */
export function formErrors(t: Translate, kind: string, error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const [first, second] = issue.path.map(String);
    const field =
      first === 'config' && second ? `${kind === 'webhook' ? 'webhook' : 'email'}_${second}` : (first ?? '_');
    const list = out[field] ?? [];
    list.push(isMessageKey(issue.message) ? t(issue.message) : issue.message);
    out[field] = list;
  }
  return out;
}
