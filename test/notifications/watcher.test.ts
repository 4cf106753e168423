/**
 * @module test/notifications/watcher: the events no job raises. A replication in error notifies once it has
 * been in error longer than REPLICATION_ERROR_NOTIFY_SECONDS, once per episode; a storage path under the
 * free-space threshold notifies when it crosses, and again only after it recovered; a daily summary slot
 * missed while the app was down is sent once (two processes' passes at the same time included), failures
 * first, then each VM with its last good restore point and its age, and its mail carries both PDF reports
 * when the channel asks for them (a real SMTP server on loopback).
 */
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notification_channels, notification_events, vm_replications } from '../../src/db/schema.js';
import { deliverDue, watchOnce } from '../../src/notifications/index.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { seedVerification, seedVm, waitDeliveries } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON read field by field
type Json = Record<string, any>;

describe('the notification watcher', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let smtp: SMTPServer;
  let port = 0;
  const mails: ParsedMail[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _s, done) {
        simpleParser(stream).then((m) => {
          mails.push(m);
          done();
        }, done);
      },
      logger: false,
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as AddressInfo).port;
    t = await createTestApp({
      REPLICATION_ERROR_NOTIFY_SECONDS: '1',
      LOW_SPACE_PERCENT: '100',
      NOTIFY_WATCH_INTERVAL_SECONDS: '0',
    });
    headers = (await t.apiUser('admin')).headers;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const channel = async (events: string[], extra: Json = {}): Promise<Json> => {
    const body = {
      name: `mail-${events.join('-')}`,
      kind: 'email',
      events,
      config: { host: '127.0.0.1', port, security: 'none', from: 'ebm@example.org', to: ['ops@example.org'] },
      ...extra,
    };
    const res = await t.app.request('/api/notification-channels/', {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    expect(res.status, JSON.stringify(json)).toBe(201);
    return json;
  };
  const eventsOf = async (type: string) =>
    (await t.database.db.select().from(notification_events)).filter((e) => e.type === type);

  it('notifies a replication in error after the threshold, once per episode', async () => {
    await channel(['replication.error']);
    const src = await seedVm(t.database.db, 'crm');
    const dst = await seedVm(t.database.db, 'spare');
    const [r] = await t.database.db
      .insert(vm_replications)
      .values({
        name: 'crm-dr',
        virtual_machine_id: src.vm.id,
        source_server_id: src.server.id,
        destination_server_id: dst.server.id,
        destination_datastore: 'datastore1',
        status: 'error',
        last_error: '{"key":"error.unexpected","params":{"detail":"disk full"}}',
      })
      .returning();
    await watchOnce(t.deps);
    expect(await eventsOf('replication.error')).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await Promise.all([watchOnce(t.deps), watchOnce(t.deps)]);
    await watchOnce(t.deps);
    const [event, ...more] = await eventsOf('replication.error');
    expect(more).toHaveLength(0);
    expect(event?.content.facts).toMatchObject({ vm: 'crm', replication: 'crm-dr', host: src.server.name });
    await t.database.db
      .update(vm_replications)
      .set({ status: 'active' })
      .where(eq(vm_replications.id, r?.id ?? 0));
    await watchOnce(t.deps);
    await t.database.db
      .update(vm_replications)
      .set({ status: 'error' })
      .where(eq(vm_replications.id, r?.id ?? 0));
    await watchOnce(t.deps);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await watchOnce(t.deps);
    expect(await eventsOf('replication.error')).toHaveLength(2);
  });

  it('notifies low space when a storage path crosses the threshold, again only after it recovered', async () => {
    await channel(['storage.low_space']);
    const paths = (await t.database.db.query.storage_paths.findMany()).length;
    await Promise.all([watchOnce(t.deps), watchOnce(t.deps)]);
    await watchOnce(t.deps);
    expect(await eventsOf('storage.low_space')).toHaveLength(paths);
    t.deps.config.lowSpacePercent = 0;
    await watchOnce(t.deps);
    t.deps.config.lowSpacePercent = 100;
    await watchOnce(t.deps);
    expect(await eventsOf('storage.low_space')).toHaveLength(2 * paths);
  });

  it('sends a missed daily summary once, failures first, with both PDF reports attached', async () => {
    const summary = await channel(['daily_summary'], {
      attach_reports: true,
      summary_time: '07:30',
      summary_timezone: 'Europe/Paris',
    });
    expect(new Date(summary.summary_next_at).getTime()).toBeGreaterThan(Date.now());
    const erp = await seedVm(t.database.db, 'erp-db', 3);
    await seedVerification(
      t.database.db,
      erp.backup.id,
      erp.server.id,
      'failed',
      new Date(Date.now() - 3_600_000),
    );
    const missed = new Date(Date.now() - 5 * 3_600_000);
    await t.database.db
      .update(notification_channels)
      .set({ summary_next_at: missed })
      .where(eq(notification_channels.id, summary.id));
    await Promise.all([watchOnce(t.deps), watchOnce(t.deps)]);
    await watchOnce(t.deps);
    expect(await eventsOf('daily_summary')).toHaveLength(1);
    const [row] = await t.database.db
      .select()
      .from(notification_channels)
      .where(eq(notification_channels.id, summary.id));
    expect(row?.summary_next_at?.getTime()).toBeGreaterThan(Date.now());

    await deliverDue(t.deps);
    await waitDeliveries(t.database.db, summary.id, (rows) => rows[0]?.status === 'sent');
    const mail = mails.find((m) => m.subject?.startsWith('Résumé quotidien'));
    const text = mail?.text ?? '';
    expect(text.indexOf('Échecs des dernières 24 heures :')).toBe(0);
    expect(text).toMatch(/- vérification : erp-db \(esx-erp-db-\d+\) à .*La VM n’a pas démarré/);
    expect(text).toMatch(/- erp-db \(esx-erp-db-\d+\) : .*, il y a 3 h 0 min/);
    expect(text.indexOf('vérification : erp-db')).toBeLessThan(text.indexOf('Machines virtuelles'));
    expect(
      mail?.attachments.map((a) => [a.filename?.replace(/\d{4}-\d{2}-\d{2}/, 'DAY'), a.contentType]),
    ).toEqual([
      ['protection-DAY.pdf', 'application/pdf'],
      ['verifications-DAY.pdf', 'application/pdf'],
    ]);
    expect(mail?.attachments[0]?.content.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
