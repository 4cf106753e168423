/**
 * @module test/notifications/job-events: an event raised by a real job: a database backup whose pg_dump
 * cannot run (PG_DUMP_PATH names no file) fails, and the channel that chose `db_backup.failed` receives it
 * over a local webhook, naming the job and the error, with the link to the database backups page; a failed
 * automatic failover is named as automatic, with the replication, the hosts and its error.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failover_events, vm_replications } from '../../src/db/schema.js';
import { msg, storeMessage } from '../../src/i18n/message.js';
import { notifyFailover, startDeliveryLoop } from '../../src/notifications/index.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { seedVm, waitDeliveries } from './support.js';

describe('a failed database backup job', () => {
  let t: TestApp;
  let hook: Server;
  let url = '';
  let loop: { stop(): Promise<void> };
  const bodies: string[] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        bodies.push(body);
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const dir = mkdtempSync(path.join(tmpdir(), 'ebm-dbb-'));
    t = await createTestApp(
      {
        DB_BACKUP_DIR: dir,
        PG_DUMP_PATH: '/nonexistent/pg_dump',
        PUBLIC_URL: 'https://ebm.example.org',
        NOTIFY_POLL_MS: '100',
      },
      { runner: true },
    );
    loop = startDeliveryLoop(t.deps);
  });
  afterAll(async () => {
    await loop?.stop();
    await t?.close();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('is delivered to the channel that chose db_backup.failed', async () => {
    const { headers } = await t.apiUser('admin');
    const created = await t.app.request('/api/notification-channels/', {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'dba',
        kind: 'webhook',
        language: 'en',
        events: ['db_backup.failed'],
        config: { url },
      }),
    });
    const channel = (await created.json()) as { id: number };
    const s = await t.signIn('admin');
    const start = await t.app.request('/backup/start', {
      method: 'POST',
      headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'HX-Request': 'true', Origin: 'http://localhost' },
    });
    expect(start.status).toBe(200);
    await waitDeliveries(t.database.db, channel.id, (rows) => rows[0]?.status === 'sent', 60_000);
    const body = JSON.parse(bodies[0] ?? '{}') as {
      title: string;
      text: string;
      link: string;
      facts: { job: number };
    };
    expect(body.title).toBe('Database backup failed');
    expect(body.text).toContain(`Backup #${body.facts.job} of the app’s database failed.`);
    expect(body.text).toMatch(/Error: .*pg_dump/);
    expect(body.link).toBe('https://ebm.example.org/db-backups/');
  }, 90_000);

  it('names an automatic failover as such', async () => {
    const { headers } = await t.apiUser('admin');
    const created = await t.app.request('/api/notification-channels/', {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'dr', kind: 'webhook', events: ['failover.failed'], config: { url } }),
    });
    const channel = (await created.json()) as { id: number };
    const src = await seedVm(t.database.db, 'crm');
    const dst = await seedVm(t.database.db, 'spare');
    const [replication] = await t.database.db
      .insert(vm_replications)
      .values({
        name: 'crm-dr',
        virtual_machine_id: src.vm.id,
        source_server_id: src.server.id,
        destination_server_id: dst.server.id,
        destination_datastore: 'datastore1',
        replica_name: 'crm_replica',
      })
      .returning();
    const [event] = await t.database.db
      .insert(failover_events)
      .values({
        replication_id: replication?.id ?? 0,
        failover_type: 'automatic',
        status: 'failed',
        reason: storeMessage(
          msg('failover.automatic_reason', { server: src.server.name, since: '2026-12-02T05:00:00Z' }),
        ),
        error_message: storeMessage(
          msg('failover.error.no_replica_vm', { name: 'crm_replica', server: dst.server.name }),
        ),
      })
      .returning();
    await notifyFailover(t.deps, event?.id ?? 0, 'failed');
    await waitDeliveries(t.database.db, channel.id, (rows) => rows[0]?.status === 'sent');
    const body = JSON.parse(bodies.at(-1) ?? '{}') as {
      title: string;
      text: string;
      facts: Record<string, unknown>;
    };
    expect(body.title).toBe('Basculement automatique échoué : crm');
    expect(body.text).toContain(
      `la VM crm de l’hôte ${src.server.name} bascule sur son réplica crm_replica sur l’hôte ${dst.server.name}`,
    );
    expect(body.text).toContain('Erreur : ');
    expect(body.text).toContain('crm_replica');
    expect(body.facts).toMatchObject({
      failover_type: 'automatic',
      replication: 'crm-dr',
      host: src.server.name,
    });
  });
});
