/**
 * @module notifications/emit: how the rest of the app raises an event: one statement into the outbox (the
 * event and a delivery per active channel that chose its type), never sending anything itself, never throwing
 * into the job that raised it (a failure to record is logged). Pass the caller's transaction as `db` to make
 * the event part of the change it reports.
 */
import type { Db } from '../db/client.js';
import { insertEvent } from '../db/notification-outbox.js';
import type { NotificationContent, NotificationEventType } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { type Message, type MessageParam, msg, readStored } from '../i18n/message.js';

/**
 * Records an event for delivery.
 * @param options.db a transaction to write in (default `deps.db`); options.channelIds: only these channels.
 * @returns the event id, or null when it could not be recorded (logged).
 */
export async function notify(
  deps: Pick<AppDeps, 'db' | 'logger'>,
  type: NotificationEventType,
  content: NotificationContent,
  options: { db?: Db; channelIds?: number[] } = {},
): Promise<number | null> {
  try {
    const { eventId, deliveries } = await insertEvent(
      options.db ?? deps.db,
      type,
      content,
      options.channelIds,
    );
    deps.logger.debug({ event: eventId, type, deliveries }, 'notification event recorded');
    return eventId;
  } catch (err) {
    deps.logger.error({ err, type }, 'notification event not recorded');
    return null;
  }
}

/** A stored error column (job error, `error_message`) as a message parameter, rendered in each channel's language. */
export function storedParam(text: string | null | undefined): MessageParam {
  const stored = readStored(text);
  if (!stored) return '?';
  return 'key' in stored ? msg(stored.key, stored.params) : stored.text;
}

/** The line `Erreur : …` / `Error: …` of an error. */
export const errorLine = (error: MessageParam): Message => msg('notify.line.error', { error });
