/**
 * @module test/notifications/interrupted: SIGKILL the app while a delivery is in flight (the webhook has
 * received it but not answered): after the restart the delivery is claimed again once its lease expired, the
 * webhook answers it, and it is marked sent, delivered exactly once (one answered request, the same
 * `X-EBM-Delivery` id on both tries, nothing sent afterwards).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { notify } from '../../src/notifications/index.js';
import { killableApp } from '../support/killable-app.js';
import { waitDeliveries } from './support.js';

describe('a delivery pending when the app is killed', () => {
  const requests: Array<{ delivery: string; answered: boolean }> = [];
  const hung: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const delivery = String(req.headers['x-ebm-delivery']);
      if (requests.length === 0) {
        requests.push({ delivery, answered: false });
        hung.push(res);
        return;
      }
      requests.push({ delivery, answered: true });
      res.end('ok');
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    for (const res of hung) res.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const app = killableApp({
    NOTIFY_POLL_MS: '200',
    NOTIFY_LEASE_SECONDS: '2',
    NOTIFY_WATCH_INTERVAL_SECONDS: '0',
  });

  it('is delivered exactly once after a restart', async () => {
    await app.start();
    const created = await app.api.call('POST', '/api/notification-channels/', {
      name: 'hook',
      kind: 'webhook',
      events: ['db_backup.failed'],
      config: { url },
    });
    expect(created.status).toBe(201);
    const channel = { id: Number(created.body.id) };
    await notify({ db: app.database.db, logger: createLogger('silent') }, 'db_backup.failed', {
      title: { key: 'notify.db_backup.failed.title' },
      lines: [{ key: 'notify.db_backup.line', params: { job: 1 } }],
      link: '/db-backups/',
      facts: { job: 1 },
      severity: 'error',
    });
    for (let i = 0; i < 100 && requests.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(requests).toHaveLength(1);
    await app.kill();
    const [pending] = await waitDeliveries(app.database.db, channel.id, (rows) => rows.length === 1);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });

    await app.start();
    const [sent] = await waitDeliveries(app.database.db, channel.id, (rows) => rows[0]?.status === 'sent');
    expect(sent).toMatchObject({ attempts: 2, response: 'HTTP 200 OK' });
    await new Promise((r) => setTimeout(r, 3000));
    expect(requests.filter((r) => r.answered)).toHaveLength(1);
    expect(requests).toHaveLength(2);
    expect(new Set(requests.map((r) => r.delivery))).toEqual(new Set([String(sent?.id)]));
  }, 120_000);
});
