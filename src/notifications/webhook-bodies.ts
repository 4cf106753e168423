/**
 * @module notifications/webhook-bodies: the request body of each webhook format. `generic`: the event as JSON
 * (type, ids, title, lines, link, severity, facts); `slack`: an incoming-webhook `text` in mrkdwn; `teams`:
 * an Adaptive Card message (Workflows webhooks); `ntfy`: JSON publishing to the server root with the topic
 * taken from the URL's last segment; `gotify`: `POST /message` with the token in `X-Gotify-Key`.
 * @see https://api.slack.com/messaging/webhooks
 * @see https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference#adaptive-card
 * @see https://docs.ntfy.sh/publish/#publish-as-json
 * @see https://gotify.net/api-docs#/message/createMessage
 */
import type { NotificationChannelConfig, NotificationContent, NotificationEventType } from '../db/schema.js';
import type { ChannelSecrets } from './channel-secrets.js';
import type { RenderedNotification } from './render.js';

/** What every format is built from. */
export interface WebhookEnvelope {
  type: NotificationEventType | 'test';
  eventId: number;
  deliveryId: number;
  createdAt: Date;
  language: string;
  content: NotificationContent;
  rendered: RenderedNotification;
}

/** Priority of ntfy (1..5) and Gotify (0..10) by severity. */
const PRIORITY = { info: [3, 4], warning: [4, 6], error: [5, 8] } as const;

/** @returns the URL to post to, the body (a JSON text) and the format's own headers. */
export function webhookRequest(
  config: NotificationChannelConfig,
  secrets: ChannelSecrets,
  e: WebhookEnvelope,
): { url: string; body: string; headers: Record<string, string> } {
  const url = config.url ?? '';
  const { subject, lines, link, linkLabel } = e.rendered;
  const bearer: Record<string, string> = secrets.token ? { authorization: `Bearer ${secrets.token}` } : {};
  switch (config.format ?? 'generic') {
    case 'slack': {
      const text = [`*${subject}*`, ...lines, ...(link ? [`<${link}|${linkLabel}>`] : [])].join('\n');
      return { url, body: JSON.stringify({ text }), headers: {} };
    }
    case 'teams': {
      const card = {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
          { type: 'TextBlock', text: subject, weight: 'Bolder', size: 'Medium', wrap: true },
          ...lines.map((text) => ({ type: 'TextBlock', text, wrap: true })),
        ],
        actions: link ? [{ type: 'Action.OpenUrl', title: linkLabel, url: link }] : [],
      };
      const body = {
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
      };
      return { url, body: JSON.stringify(body), headers: {} };
    }
    case 'ntfy': {
      const parsed = new URL(url);
      const segments = parsed.pathname.split('/').filter(Boolean);
      const topic = segments.pop() ?? '';
      parsed.pathname = `/${segments.join('/')}`;
      const body = {
        topic,
        title: subject,
        message: lines.join('\n'),
        priority: PRIORITY[e.content.severity][0],
        tags: [e.type],
        ...(link ? { click: link } : {}),
      };
      return { url: parsed.toString(), body: JSON.stringify(body), headers: bearer };
    }
    case 'gotify': {
      const target = url.replace(/\/+$/, '').endsWith('/message')
        ? url
        : `${url.replace(/\/+$/, '')}/message`;
      const body = {
        title: subject,
        message: lines.join('\n'),
        priority: PRIORITY[e.content.severity][1],
        extras: link ? { 'client::notification': { click: { url: link } } } : {},
      };
      return {
        url: target,
        body: JSON.stringify(body),
        headers: secrets.token ? { 'x-gotify-key': secrets.token } : {},
      };
    }
    default: {
      const body = {
        event: e.type,
        event_id: e.eventId,
        delivery_id: e.deliveryId,
        created_at: e.createdAt.toISOString(),
        language: e.language,
        severity: e.content.severity,
        title: subject,
        lines,
        text: e.rendered.text,
        link,
        facts: e.content.facts,
      };
      return { url, body: JSON.stringify(body), headers: bearer };
    }
  }
}
