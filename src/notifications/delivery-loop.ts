/**
 * @module notifications/delivery-loop: the loop every app process runs over the outbox. Each pass claims due
 * deliveries (SKIP LOCKED, leased for NOTIFY_LEASE_SECONDS, the attempt counted), sends them side by side,
 * then marks each sent, due again after an exponential backoff (NOTIFY_RETRY_BASE_SECONDS × 2^(attempt−1)),
 * or failed with its error after NOTIFY_ATTEMPTS attempts. A delivery whose process died is claimed again
 * once its lease expires; the attempt count fences a late answer of the dead claim.
 */
import {
  type ClaimedDelivery,
  claimDeliveries,
  markAttemptFailed,
  markSent,
} from '../db/notification-outbox.js';
import type { AppDeps } from '../deps.js';
import { messageOf } from '../errors.js';
import { storeMessage } from '../i18n/message.js';
import { DeliveryError } from './delivery-error.js';
import { sendToChannel } from './send.js';

/** Deliveries one pass claims at most. */
const BATCH = 10;

/** When the attempt after `attempts` failed ones is due, or null when none is left. */
export function retryAt(
  attempts: number,
  maxAttempts: number,
  baseSeconds: number,
  now = Date.now(),
): Date | null {
  if (attempts >= maxAttempts) return null;
  return new Date(now + baseSeconds * 1000 * 2 ** (attempts - 1));
}

async function deliverOne(deps: AppDeps, c: ClaimedDelivery): Promise<'sent' | 'retry' | 'failed'> {
  const { delivery } = c;
  try {
    const response = await sendToChannel(deps, c.channel, {
      type: c.type,
      eventId: delivery.event_id,
      deliveryId: delivery.id,
      createdAt: delivery.created_at,
      content: c.content,
    });
    await markSent(deps.db, delivery, response);
    deps.logger.info(
      { delivery: delivery.id, channel: c.channel.id, event: c.type, response },
      'notification sent',
    );
    return 'sent';
  } catch (err) {
    const detail = err instanceof DeliveryError ? err.detail : messageOf(err);
    const response = err instanceof DeliveryError ? err.response : null;
    const { notifyAttempts, notifyRetryBaseSeconds } = deps.config;
    const next = retryAt(delivery.attempts, notifyAttempts, notifyRetryBaseSeconds);
    await markAttemptFailed(deps.db, delivery, storeMessage(detail), response, next);
    deps.logger.warn(
      { delivery: delivery.id, channel: c.channel.id, attempt: delivery.attempts, response, retryAt: next },
      next ? 'notification attempt failed' : 'notification failed',
    );
    return next ? 'retry' : 'failed';
  }
}

/** One pass: claims and sends what is due. @returns how many deliveries it handled. */
export async function deliverDue(deps: AppDeps): Promise<number> {
  const claimed = await claimDeliveries(deps.db, BATCH, deps.config.notifyLeaseSeconds);
  await Promise.all(claimed.map((c) => deliverOne(deps, c)));
  return claimed.length;
}

/**
 * Starts the loop (every NOTIFY_POLL_MS, at once again after a full batch).
 * @returns `stop()`, which waits for the pass in flight.
 */
export function startDeliveryLoop(deps: AppDeps): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    let handled = 0;
    try {
      handled = await deliverDue(deps);
    } catch (err) {
      deps.logger.error({ err }, 'notification delivery pass failed');
    }
    if (!stopped) timer = setTimeout(tick, handled >= BATCH ? 0 : deps.config.notifyPollMs);
  };
  const tick = () => {
    running = pass();
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
