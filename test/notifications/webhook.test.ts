/**
 * @module test/notifications/webhook: local HTTP servers receive webhooks. A failed verification arrives as
 * the generic JSON naming the VM, host and error, and its `X-EBM-Signature` checks with the channel's secret
 * (HMAC-SHA256 of the raw body); the secret is never answered. A webhook that answers 500 is retried with
 * backoff, then marked failed with its status after the last attempt, while the other channel's deliveries
 * still go meanwhile; the metrics count the deliveries by status. Presets shape the body (Slack `text`, ntfy
 * topic from the URL).
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify, notifyVerificationFailed, startDeliveryLoop } from '../../src/notifications/index.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { seedVerification, seedVm, waitDeliveries } from './support.js';

const SECRET = 'whsec-0123456789abcdef';
// biome-ignore lint/suspicious/noExplicitAny: JSON read field by field
type Json = Record<string, any>;
interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  at: number;
}

describe('webhook notifications', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let server: Server;
  let base = '';
  let loop: { stop(): Promise<void> };
  const received: Received[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
        res.statusCode = req.url?.startsWith('/broken') ? 500 : 200;
        res.end(res.statusCode === 500 ? 'database is down' : 'ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp({
      PUBLIC_URL: 'https://ebm.example.org',
      NOTIFY_POLL_MS: '100',
      NOTIFY_ATTEMPTS: '3',
      NOTIFY_RETRY_BASE_SECONDS: '0.5',
    });
    headers = (await t.apiUser('admin')).headers;
    loop = startDeliveryLoop(t.deps);
  });
  afterAll(async () => {
    await loop?.stop();
    await t?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const channel = async (name: string, config: Json, events = ['verification.failed']): Promise<Json> => {
    const body = { name, kind: 'webhook', language: 'en', events, config };
    const res = await t.app.request('/api/notification-channels/', {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    expect(res.status, JSON.stringify(json)).toBe(201);
    return json;
  };

  it('posts a failed verification, signed with HMAC-SHA256 of the raw body', async () => {
    const hook = await channel('signed', { url: `${base}/signed`, secret: SECRET });
    expect(hook.config).toMatchObject({ has_secret: true, format: 'generic' });
    expect(JSON.stringify(hook)).not.toContain(SECRET);
    const { backup, server: host } = await seedVm(t.database.db, 'web-01');
    const v = await seedVerification(t.database.db, backup.id, host.id, 'failed');
    await notifyVerificationFailed(t.deps, v.id);
    await waitDeliveries(t.database.db, hook.id, (rows) => rows[0]?.status === 'sent');

    const got = received.find((r) => r.path === '/signed');
    expect(got).toBeDefined();
    const expected = `sha256=${createHmac('sha256', SECRET)
      .update(got?.body ?? '')
      .digest('hex')}`;
    expect(got?.headers['x-ebm-signature']).toBe(expected);
    expect(Number(got?.headers['x-ebm-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
    const json = JSON.parse(got?.body ?? '{}') as Json;
    expect(json).toMatchObject({
      event: 'verification.failed',
      title: 'Verification failed: web-01',
      link: `https://ebm.example.org/surebackup/${v.id}`,
      facts: { vm: 'web-01', host: host.name },
    });
    expect(json.text).toContain('Error: The VM did not boot: heartbeat gray after 600 s.');
    expect(t.logs()).not.toContain(SECRET);
  });

  it('retries a webhook answering 500, then marks it failed with the status; other deliveries go meanwhile', async () => {
    const broken = await channel('broken', { url: `${base}/broken` }, ['db_backup.failed']);
    const healthy = await channel('healthy', { url: `${base}/healthy` }, ['db_backup.failed']);
    await notify(t.deps, 'db_backup.failed', {
      title: { key: 'notify.db_backup.failed.title' },
      lines: [{ key: 'notify.db_backup.line', params: { job: 7 } }],
      link: '/db-backups/',
      facts: { job: 7 },
      severity: 'error',
    });
    const [good] = await waitDeliveries(t.database.db, healthy.id, (rows) => rows[0]?.status === 'sent');
    const [bad] = await waitDeliveries(t.database.db, broken.id, (rows) => rows[0]?.status === 'failed');
    expect(good?.attempts).toBe(1);
    expect(bad).toMatchObject({ attempts: 3, response: 'HTTP 500 Internal Server Error: database is down' });
    const brokenCalls = received.filter((r) => r.path === '/broken');
    expect(brokenCalls).toHaveLength(3);
    const healthyCall = received.find((r) => r.path === '/healthy');
    expect(healthyCall && healthyCall.at < (brokenCalls[2]?.at ?? 0)).toBe(true);
    expect((brokenCalls[2]?.at ?? 0) - (brokenCalls[1]?.at ?? 0)).toBeGreaterThanOrEqual(900);

    const res = await t.app.request(`/api/notification-deliveries/?status=failed&channel=${broken.id}`, {
      headers: { ...headers, 'Accept-Language': 'fr' },
    });
    const [row] = (await res.json()) as Json[];
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'Le webhook a répondu HTTP 500.',
    });

    const metrics = await (await t.app.request('/api/metrics')).text();
    expect(metrics).toContain('esxi_notification_deliveries{status="failed"} 1');
    expect(metrics).toContain('esxi_notification_deliveries{status="pending"} 0');
    expect(metrics).toMatch(/esxi_notification_deliveries\{status="sent"\} [1-9]/);
    expect(metrics).toContain('esxi_notification_channels_active 3');
  });

  it('shapes the body for the Slack and ntfy presets', async () => {
    const slack = await channel('slack', { url: `${base}/slack`, format: 'slack' }, ['storage.low_space']);
    const ntfy = await channel('ntfy', { url: `${base}/ntfy/backups`, format: 'ntfy', token: 'tk_1' }, [
      'storage.low_space',
    ]);
    await notify(t.deps, 'storage.low_space', {
      title: { key: 'notify.storage.low_space.title', params: { storage: 'nas' } },
      lines: [],
      link: '/storage-paths/',
      facts: {},
      severity: 'warning',
    });
    await waitDeliveries(t.database.db, slack.id, (rows) => rows[0]?.status === 'sent');
    await waitDeliveries(t.database.db, ntfy.id, (rows) => rows[0]?.status === 'sent');
    const s = JSON.parse(received.find((r) => r.path === '/slack')?.body ?? '{}') as Json;
    expect(s.text).toContain('*Low disk space: nas*');
    expect(s.text).toContain('<https://ebm.example.org/storage-paths/|Open in ESXi Backup Manager>');
    const n = received.find((r) => r.path === '/ntfy');
    expect(n?.headers.authorization).toBe('Bearer tk_1');
    expect(JSON.parse(n?.body ?? '{}')).toMatchObject({
      topic: 'backups',
      title: 'Low disk space: nas',
      priority: 4,
    });
  });
});
