/**
 * @module http/openapi/paths/notifications: `/api/notification-channels/` (writes and tests for admins),
 * `/api/notification-deliveries/` and the PDF reports `/api/reports/*.pdf`.
 */
import { z } from 'zod';
import { channelSchema } from '../../../notifications/index.js';
import { deliveryFilters } from '../../api/notification-deliveries.js';
import { reportLanguageQuery, verificationReportQuery } from '../../api/reports.js';
import type { DocumentBuilder } from '../builder.js';
import { errorSchema } from '../common.js';
import { endpoint, list } from '../endpoints.js';
import {
  channelResponseSchema,
  channelTestSchema,
  deliveryResponseSchema,
} from '../schemas/notifications.js';

const tag = 'notifications';
const detail = '/api/notification-channels/{id}/';
const secrets =
  '`config` by `kind`: e-mail `host`, `port`, `security` (`tls` from the start, `starttls` required, `none`), optional ' +
  '`username` and `password`, `from`, `to` (a list), optional `ca_certificate` (PEM to trust); webhook `url`, `format` ' +
  '(`generic`, `slack`, `teams`, `ntfy`, `gotify`), optional `secret` (signs each delivery: `X-EBM-Signature: sha256=<hex ' +
  'HMAC-SHA256 of the raw body>`, `X-EBM-Timestamp`) and `token` (Gotify `X-Gotify-Key`, else `Authorization: Bearer`). ' +
  'Secrets are write-only: omitted keeps the stored one, null or "" removes it; answers say `has_*`. Names are unique (400).';

/** Adds the notification and report endpoints. */
export function notificationPaths(doc: DocumentBuilder): void {
  const channel = doc.response('NotificationChannel', channelResponseSchema);
  const input = doc.request('NotificationChannelInput', channelSchema);
  list(doc, {
    path: '/api/notification-channels/',
    tag,
    summary: 'List the notification channels',
    name: 'NotificationChannel',
    item: channel,
  });
  endpoint(doc, {
    method: 'post',
    path: '/api/notification-channels/',
    tag,
    summary: 'Add a notification channel (e-mail or webhook)',
    description: secrets,
    role: 'admin',
    body: input,
    ok: { 201: { description: 'The new channel.', schema: channel } },
  });
  endpoint(doc, {
    method: 'get',
    path: detail,
    tag,
    summary: 'One notification channel',
    ok: { 200: { description: 'The channel.', schema: channel } },
  });
  endpoint(doc, {
    method: 'put',
    path: detail,
    tag,
    summary: 'Replace a notification channel',
    description: secrets,
    role: 'admin',
    body: input,
    ok: { 200: { description: 'The channel.', schema: channel } },
  });
  endpoint(doc, {
    method: 'patch',
    path: detail,
    tag,
    summary: 'Change some fields of a notification channel',
    description: `Any fields of NotificationChannelInput; \`config\` is merged over the stored one (same kind). ${secrets}`,
    role: 'admin',
    body: doc.request(
      'NotificationChannelPatch',
      z.looseObject({}).describe('Fields of NotificationChannelInput.'),
    ),
    ok: { 200: { description: 'The channel.', schema: channel } },
  });
  endpoint(doc, {
    method: 'delete',
    path: detail,
    tag,
    summary: 'Delete a notification channel and its deliveries',
    role: 'admin',
    ok: { 204: { description: 'Deleted.', schema: null } },
  });
  endpoint(doc, {
    method: 'post',
    path: `${detail}test/`,
    tag,
    summary: 'Send a test message now',
    description:
      'Sent at once, outside the outbox. 502 `notification_test_failed` when the server refused or could not be reached, with its `response` (null when it never answered).',
    role: 'admin',
    ok: {
      200: {
        description: 'The server accepted it.',
        schema: doc.response('NotificationTest', channelTestSchema),
      },
    },
    otherResponses: {
      502: {
        description: 'The server refused the message or could not be reached.',
        schema: doc.response(
          'NotificationTestFailed',
          errorSchema.extend({ response: z.string().nullable() }),
        ),
      },
    },
  });
  list(
    doc,
    {
      path: '/api/notification-deliveries/',
      tag,
      summary: 'The outbox: recent deliveries, newest first (the 500 most recent)',
      description:
        'Each event is delivered at most once to each channel; a delivery is retried with backoff, then `failed` with its error.',
      name: 'NotificationDelivery',
      item: doc.response('NotificationDelivery', deliveryResponseSchema),
    },
    deliveryFilters,
  );
  const pdf = { type: 'string', contentMediaType: 'application/pdf' };
  endpoint(doc, {
    method: 'get',
    path: '/api/reports/verifications.pdf',
    tag: 'reports',
    summary: 'Verification report (PDF) over a period',
    description:
      'Per VM: each verification with its type, result, boot time and services checked; failures with their error and log.',
    query: verificationReportQuery,
    contentType: 'application/pdf',
    ok: { 200: { description: 'The PDF file.', schema: pdf } },
  });
  endpoint(doc, {
    method: 'get',
    path: '/api/reports/protection.pdf',
    tag: 'reports',
    summary: 'Protection report (PDF)',
    description:
      'Per present VM: its last good restore point (completed, not found corrupt), its age and its repository; VMs without one first.',
    query: reportLanguageQuery,
    contentType: 'application/pdf',
    ok: { 200: { description: 'The PDF file.', schema: pdf } },
  });
}
