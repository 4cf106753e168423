/**
 * @module notifications/webhook: posts a rendered notification to the channel's URL in its format
 * (`generic` JSON, `slack`, `teams`, `ntfy`, `gotify`: src/notifications/webhook-bodies.ts). With a secret,
 * each delivery is signed: `X-EBM-Signature: sha256=<hex HMAC-SHA256 of the raw body>` and
 * `X-EBM-Timestamp` (Unix seconds); `X-EBM-Delivery` carries the delivery id for receivers that deduplicate.
 * Any 2xx is a success; the answer is `HTTP <status> <reason>`.
 */
import { createHmac } from 'node:crypto';
import type { NotificationChannelConfig } from '../db/schema.js';
import { msg } from '../i18n/message.js';
import type { ChannelSecrets } from './channel-secrets.js';
import { DeliveryError } from './delivery-error.js';
import { type WebhookEnvelope, webhookRequest } from './webhook-bodies.js';

/** The signature header's value for a body and a secret: `sha256=<hex>`. */
export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/**
 * Posts one notification.
 * @returns `HTTP 200 OK` (the status line of the answer).
 * @throws DeliveryError for a non-2xx answer (with its status) or a connection failure or timeout.
 */
export async function sendWebhook(
  config: NotificationChannelConfig,
  secrets: ChannelSecrets,
  envelope: WebhookEnvelope,
  timeoutMs = 15_000,
): Promise<string> {
  const request = webhookRequest(config, secrets, envelope);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'esxi-backup-manager',
    'x-ebm-event': envelope.type,
    'x-ebm-delivery': String(envelope.deliveryId),
    ...request.headers,
  };
  if (secrets.secret) {
    headers['x-ebm-timestamp'] = String(Math.floor(Date.now() / 1000));
    headers['x-ebm-signature'] = signBody(secrets.secret, request.body);
  }
  let answer: Response;
  try {
    answer = await fetch(request.url, {
      method: 'POST',
      headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const error = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new DeliveryError(msg('notify.error.http_unreachable', { error }), null);
  }
  const line = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  const text = (await answer.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
  if (answer.status < 200 || answer.status > 299)
    throw new DeliveryError(
      msg('notify.error.http_status', { status: answer.status }),
      text ? `${line}: ${text}` : line,
    );
  return line;
}
