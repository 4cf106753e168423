/**
 * @module notifications/send: one notification to one channel, whatever its kind: opens the channel's
 * secrets, renders the event in the channel's language, builds the PDF attachments a daily summary asks for
 * (when the channel wants them), then mails or posts it. Used by the delivery loop and by "send a test".
 */
import type { ChannelRow } from '../db/notification-channels.js';
import type { NotificationContent, NotificationEventType } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { reportAttachments } from '../reports/attachments.js';
import { openSecrets } from './channel-secrets.js';
import { sendEmail } from './email.js';
import { renderContent } from './render.js';
import { sendWebhook } from './webhook.js';

/** The event being sent (ids are 0 for a test message). */
export interface Outgoing {
  type: NotificationEventType | 'test';
  eventId: number;
  deliveryId: number;
  createdAt: Date;
  content: NotificationContent;
}

/**
 * Sends one event to one channel.
 * @returns what the server answered (SMTP response line or `HTTP <status>`).
 * @throws DeliveryError when the server refused or could not be reached; AppError `secret_unreadable`.
 */
export async function sendToChannel(
  deps: Pick<AppDeps, 'db' | 'config' | 'notificationSecrets'>,
  channel: ChannelRow,
  out: Outgoing,
): Promise<string> {
  const secrets = openSecrets(deps.notificationSecrets, channel.secrets_sealed);
  const rendered = renderContent(out.content, channel.language, deps.config.publicUrl);
  if (channel.kind === 'email') {
    const attachments =
      channel.attach_reports && out.content.reports?.length
        ? await reportAttachments(deps.db, out.content.reports, channel.language, out.createdAt)
        : [];
    return sendEmail(channel.config, secrets, rendered, attachments);
  }
  return sendWebhook(channel.config, secrets, { ...out, language: channel.language, rendered });
}
