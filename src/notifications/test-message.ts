/**
 * @module notifications/test-message: "Send a test": one message sent to a channel at once, outside the
 * outbox (nothing is stored), answering what the server said so the page and the API can show it.
 */
import type { ChannelRow } from '../db/notification-channels.js';
import type { AppDeps } from '../deps.js';
import { msg } from '../i18n/message.js';
import { sendToChannel } from './send.js';

/**
 * Sends the test message. @returns the server's answer (SMTP response line, `HTTP 200 OK`).
 * @throws DeliveryError with the refusal or the connection error.
 */
export function sendTest(
  deps: Pick<AppDeps, 'db' | 'config' | 'notificationSecrets'>,
  channel: ChannelRow,
): Promise<string> {
  return sendToChannel(deps, channel, {
    type: 'test',
    eventId: 0,
    deliveryId: 0,
    createdAt: new Date(),
    content: {
      title: msg('notify.test.title'),
      lines: [msg('notify.test.line', { channel: channel.name })],
      link: '/notifications/',
      facts: { test: 1, host: null, vm: null },
      severity: 'info',
    },
  });
}
