/**
 * @module test/notifications/retention: the watcher removes the events older than NOTIFY_RETENTION_DAYS whose
 * deliveries are all done, with their deliveries, and keeps an old event that still has a pending delivery.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type NotificationContent,
  notification_deliveries,
  notification_events,
} from '../../src/db/schema.js';
import { watchOnce } from '../../src/notifications/index.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('the outbox retention', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({ NOTIFY_RETENTION_DAYS: '30', NOTIFY_WATCH_INTERVAL_SECONDS: '0' });
    headers = (await t.apiUser('admin')).headers;
  });
  afterAll(async () => {
    await t?.close();
  });
  const channel = async (events: string[]) => {
    const body = { name: 'hook', kind: 'webhook', events, config: { url: 'http://127.0.0.1:9/x' } };
    const res = await t.app.request('/api/notification-channels/', {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: number };
  };
  const eventsOf = async (type: string) =>
    (await t.database.db.select().from(notification_events)).filter((e) => e.type === type);

  it('removes the events older than NOTIFY_RETENTION_DAYS whose deliveries are done, keeps pending ones', async () => {
    const hook = await channel(['failover.completed']);
    const old = new Date(Date.now() - 40 * 86_400_000);
    const content: NotificationContent = {
      title: { key: 'notify.db_backup.failed.title' },
      lines: [],
      link: null,
      facts: {},
      severity: 'info',
    };
    const [done, waiting] = await t.database.db
      .insert(notification_events)
      .values([
        { type: 'failover.completed' as const, content, created_at: old },
        { type: 'failover.completed' as const, content, created_at: old },
      ])
      .returning();
    await t.database.db.insert(notification_deliveries).values([
      { event_id: done?.id ?? 0, channel_id: hook.id, status: 'sent' },
      {
        event_id: waiting?.id ?? 0,
        channel_id: hook.id,
        status: 'pending',
        next_attempt_at: new Date(Date.now() + 3_600_000),
      },
    ]);
    await watchOnce(t.deps);
    const left = (await eventsOf('failover.completed')).map((e) => e.id);
    expect(left).toEqual([waiting?.id]);
  });
});
