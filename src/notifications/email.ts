/**
 * @module notifications/email: sends a rendered notification through the channel's SMTP server with
 * nodemailer: TLS from the start (`tls`, usually port 465), STARTTLS required (`starttls`, 587) or plain
 * (`none`); authentication when a username is set; optional extra trusted certificate. The answer is the
 * server's last response line (`250 2.0.0 Ok: queued as …`).
 * @see https://nodemailer.com/smtp/
 */
import nodemailer from 'nodemailer';
import type { NotificationChannelConfig } from '../db/schema.js';
import { msg } from '../i18n/message.js';
import type { ChannelSecrets } from './channel-secrets.js';
import { DeliveryError } from './delivery-error.js';
import type { RenderedNotification } from './render.js';

/** A file attached to a mail (the daily summary's reports). */
export interface Attachment {
  filename: string;
  content: Buffer;
}

/**
 * Sends one mail to every recipient of the channel.
 * @returns the SMTP server's response line.
 * @throws DeliveryError with the server's refusal (`535 …`) or the connection error.
 */
export async function sendEmail(
  config: NotificationChannelConfig,
  secrets: ChannelSecrets,
  message: RenderedNotification,
  attachments: Attachment[] = [],
  timeoutMs = 20_000,
): Promise<string> {
  const security = config.security ?? 'starttls';
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: security === 'tls',
    requireTLS: security === 'starttls',
    ignoreTLS: security === 'none',
    auth: config.username ? { user: config.username, pass: secrets.password ?? '' } : undefined,
    tls: config.ca_certificate ? { ca: config.ca_certificate } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: message.subject,
      text: message.text,
      attachments: attachments.map((a) => ({ ...a, contentType: 'application/pdf' })),
    });
    return String(info.response ?? 'sent');
  } catch (err) {
    const e = err as { response?: string; message?: string; code?: string };
    const answer = e.response ?? null;
    throw new DeliveryError(msg('notify.error.smtp', { error: answer ?? e.message ?? String(err) }), answer);
  } finally {
    transport.close();
  }
}
