/**
 * @module notifications: channels (e-mail, webhooks), the durable outbox and its delivery loop, the events the
 * app raises (`notify` and the job notices), the watcher (replication errors, low space, daily summaries).
 */

export { type ChannelInput, channelSchema, SMTP_SECURITY, WEBHOOK_FORMATS } from './channel-schema.js';
export { channelAsInput, channelColumns, channelJson, nextSummaryAt } from './channels.js';
export { DeliveryError } from './delivery-error.js';
export { deliverDue, startDeliveryLoop } from './delivery-loop.js';
export { errorLine, notify, storedParam } from './emit.js';
export {
  type BackupRunVm,
  notifyBackupJobRun,
  notifyDbBackupFailed,
  notifyFailover,
  notifyRepositoryCorrupt,
  notifyVerificationFailed,
} from './notices.js';
export { sendToChannel } from './send.js';
export { sendTest } from './test-message.js';
export { startNotificationWatcher, watchOnce } from './watcher.js';
export { signBody } from './webhook.js';
