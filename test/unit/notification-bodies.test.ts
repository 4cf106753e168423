/**
 * The pieces of a delivery that need no service: each webhook format's request (Teams Adaptive Card, Gotify
 * `/message` with its key, the generic JSON), the rendering of an event in each language, and the backoff.
 */
import { describe, expect, it } from 'vitest';
import type { NotificationContent } from '../../src/db/schema.js';
import { retryAt } from '../../src/notifications/delivery-loop.js';
import { renderContent } from '../../src/notifications/render.js';
import { signBody } from '../../src/notifications/webhook.js';
import { webhookRequest } from '../../src/notifications/webhook-bodies.js';

const content: NotificationContent = {
  title: {
    key: 'notify.failover.failed.title',
    params: { type: { key: 'notify.failover_type.automatic' }, vm: 'erp-db' },
  },
  lines: [{ key: 'notify.line.error', params: { error: 'host unreachable' } }],
  link: '/failover/',
  facts: { vm: 'erp-db', host: 'esx-1' },
  severity: 'error',
};
const envelope = (language: 'fr' | 'en') => ({
  type: 'failover.failed' as const,
  eventId: 4,
  deliveryId: 9,
  createdAt: new Date('2026-12-02T08:00:00Z'),
  language,
  content,
  rendered: renderContent(content, language, 'https://ebm.example.org'),
});

describe('notification bodies', () => {
  it('renders an automatic failover failure in French and in English with its link', () => {
    expect(renderContent(content, 'fr', 'https://ebm.example.org')).toMatchObject({
      subject: 'Basculement automatique échoué : erp-db',
      text: 'Erreur : host unreachable\n\nOuvrir : https://ebm.example.org/failover/',
    });
    expect(renderContent(content, 'en', 'https://ebm.example.org').subject).toBe(
      'Failover (automatic) failed: erp-db',
    );
  });

  it('builds a Teams Adaptive Card with an action to the page', () => {
    const r = webhookRequest({ url: 'https://x.webhook.office.com/a', format: 'teams' }, {}, envelope('en'));
    const card = JSON.parse(r.body).attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.body[0].text).toBe('Failover (automatic) failed: erp-db');
    expect(card.content.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open in ESXi Backup Manager',
        url: 'https://ebm.example.org/failover/',
      },
    ]);
  });

  it('posts Gotify messages to /message with the token in X-Gotify-Key', () => {
    const r = webhookRequest(
      { url: 'https://gotify.example.org/', format: 'gotify' },
      { token: 'AbC' },
      envelope('fr'),
    );
    expect(r.url).toBe('https://gotify.example.org/message');
    expect(r.headers).toEqual({ 'x-gotify-key': 'AbC' });
    expect(JSON.parse(r.body)).toMatchObject({
      title: 'Basculement automatique échoué : erp-db',
      priority: 8,
    });
  });

  it('sends the generic JSON with ids, facts and link, signed over its raw bytes', () => {
    const r = webhookRequest({ url: 'https://hooks.example.org/ebm' }, {}, envelope('en'));
    expect(JSON.parse(r.body)).toMatchObject({
      event: 'failover.failed',
      event_id: 4,
      delivery_id: 9,
      facts: { vm: 'erp-db' },
    });
    // RFC 4231 test case 2
    expect(signBody('Jefe', 'what do ya want for nothing?')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('doubles the delay after each failed attempt, and stops after the last one', () => {
    const now = 1_000_000;
    expect(retryAt(1, 4, 30, now)?.getTime()).toBe(now + 30_000);
    expect(retryAt(2, 4, 30, now)?.getTime()).toBe(now + 60_000);
    expect(retryAt(3, 4, 30, now)?.getTime()).toBe(now + 120_000);
    expect(retryAt(4, 4, 30, now)).toBeNull();
  });
});
