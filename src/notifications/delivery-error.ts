/** @module notifications/delivery-error: a failed delivery attempt: why (a message) and what the server answered. */
import type { Message } from '../i18n/message.js';
import { translator } from '../i18n/translate.js';

/** Thrown by a sender; the delivery loop stores `detail` as `last_error` and `response` as `response`. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly detail: Message,
    readonly response: string | null,
  ) {
    super(translator('en').message(detail));
  }
}
