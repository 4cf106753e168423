import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, max } from 'drizzle-orm';
import { register as globalRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { esxi_servers, JOB_TYPES, jobs, virtual_machines, vm_backups } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { parseMetrics, sampleKey, seedMetricsData, seedReplicationData } from './support.js';

/** Every name the seed lists in section 1, all of which must always be exposed. */
export const SEED_NAMES = [
  'esxi_backups_total',
  'esxi_backups_completed_total',
  'esxi_backups_failed_total',
  'esxi_backups_pending_total',
  'esxi_backups_running_total',
  'esxi_backups_success_rate',
  'esxi_replications_total',
  'esxi_replications_active',
  'esxi_replications_paused',
  'esxi_replications_error',
  'esxi_replications_syncing',
  'esxi_failover_events_total',
  'esxi_failover_events_completed',
  'esxi_failover_events_failed',
  'esxi_verifications_total',
  'esxi_verifications_passed',
  'esxi_verifications_failed',
  'esxi_verifications_pending',
  'esxi_verifications_running',
  'esxi_verifications_success_rate',
  'esxi_servers_total',
  'esxi_servers_active',
  'esxi_snapshots_total',
  'esxi_snapshot_schedules_active',
  'esxi_storage_paths_total',
  'esxi_storage_paths_active',
];

describe('GET /api/metrics', () => {
  let t: TestApp;
  const scrape = async (headers: Record<string, string> = {}) => {
    const res = await t.app.request('/api/metrics', { headers });
    expect(res.status).toBe(200);
    return { res, samples: parseMetrics(await res.text()) };
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers without authentication in the text format 0.0.4, every seed metric at 0 on an empty database', async () => {
    const { res, samples } = await scrape();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of SEED_NAMES) expect(samples.get(name), name).toBe(0);
    expect(samples.get(sampleKey('esxi_jobs_queued', { type: 'db_backup' }))).toBe(0);
    expect(samples.get(sampleKey('esxi_scrape_collector_success', { collector: 'replications' }))).toBe(1);
    expect([...samples.keys()].some((k) => k.startsWith('esxi_datastore_used_percent'))).toBe(false);
    // the app's own registry, not prom-client's global one
    expect(globalRegistry.getMetricsAsArray()).toEqual([]);
  });

  it('reports the families from the database with the seed names and meanings', async () => {
    const { serverId, vmIds } = await seedMetricsData(t.database.db, {
      servers: 2,
      vmsPerServer: 3,
      datastoresPerServer: 2,
      jobs: 28,
    });
    await seedReplicationData(t.database.db, [serverId, serverId + 1], vmIds);
    const { samples } = await scrape();
    const get = (name: string, labels?: Record<string, string>) => samples.get(sampleKey(name, labels));

    // job i: vm_backup when i % 4 == 0; statuses cycle COMPLETED x3, FAILED, PENDING, IN_PROGRESS, CANCELLED
    expect(get('esxi_backups_total')).toBe(7);
    expect(get('esxi_backups_completed_total')).toBe(3);
    expect(get('esxi_backups_failed_total')).toBe(1);
    expect(get('esxi_backups_pending_total')).toBe(1);
    expect(get('esxi_backups_running_total')).toBe(1);
    expect(get('esxi_backups_success_rate')).toBe(42.86);

    expect(get('esxi_replications_total')).toBe(5);
    expect(get('esxi_replications_active')).toBe(2);
    expect(get('esxi_replications_paused')).toBe(1);
    expect(get('esxi_replications_error')).toBe(1);
    expect(get('esxi_replications_syncing')).toBe(1);
    expect(get('esxi_failover_events_total')).toBe(3);
    expect(get('esxi_failover_events_completed')).toBe(2);
    expect(get('esxi_failover_events_failed')).toBe(1);
    expect(get('esxi_failover_events_by_type', { failover_type: 'automatic', status: 'failed' })).toBe(1);
    const lag = get('esxi_replication_lag_seconds', { id: '1', replication: 'rep-1' }) as number;
    expect(lag).toBeGreaterThanOrEqual(600);
    expect(lag).toBeLessThan(660);
    expect(get('esxi_replication_interval_seconds', { id: '1', replication: 'rep-1' })).toBe(900);
    expect(get('esxi_replication_lag_seconds', { id: '3', replication: 'rep-3' })).toBeUndefined(); // paused

    expect(get('esxi_verifications_total')).toBe(6);
    expect(get('esxi_verifications_passed')).toBe(2);
    expect(get('esxi_verifications_failed')).toBe(1);
    expect(get('esxi_verifications_pending')).toBe(1);
    expect(get('esxi_verifications_running')).toBe(1);
    expect(get('esxi_verifications_success_rate')).toBe(33.33);
    expect(get('esxi_verifications_by_type', { test_type: 'full', status: 'passed' })).toBe(1);

    const ds = { server: 'esx-1', datastore: 'datastore1' };
    expect(get('esxi_datastore_used_percent', ds)).toBe(75);
    expect(get('esxi_datastore_capacity_gb', ds)).toBe(1000);
    expect(get('esxi_datastore_free_gb', ds)).toBe(250);
    expect(get('esxi_datastore_free_bytes', ds)).toBe(250 * 1024 ** 3);
    expect(get('esxi_datastore_used_percent', { server: 'esx-2', datastore: 'datastore2' })).toBe(55);

    expect(get('esxi_servers_total')).toBe(2);
    expect(get('esxi_servers_active')).toBe(2);
    expect(get('esxi_snapshots_total')).toBe(12);
    expect(get('esxi_snapshot_schedules_active')).toBe(0);
    expect(get('esxi_storage_paths_total')).toBe(2);
    expect(get('esxi_storage_paths_active')).toBe(1);

    const queued = Object.fromEntries(JOB_TYPES.map((type) => [type, 0]));
    const running = { ...queued };
    for (let i = 0; i < 28; i++) {
      const type = i % 4 === 0 ? 'vm_backup' : (JOB_TYPES[(i % 5) + 1] as string);
      if (i % 7 === 4) queued[type] = (queued[type] ?? 0) + 1;
      if (i % 7 === 5) running[type] = (running[type] ?? 0) + 1;
    }
    for (const type of JOB_TYPES) {
      expect(get('esxi_jobs_queued', { type }), type).toBe(queued[type]);
      expect(get('esxi_jobs_running', { type }), type).toBe(running[type]);
    }

    const last = await t.database.db
      .select({ server: esxi_servers.name, vm: virtual_machines.name, at: max(jobs.finished_at) })
      .from(vm_backups)
      .innerJoin(jobs, eq(jobs.id, vm_backups.job_id))
      .innerJoin(virtual_machines, eq(virtual_machines.id, vm_backups.virtual_machine_id))
      .innerJoin(esxi_servers, eq(esxi_servers.id, virtual_machines.esxi_server_id))
      .where(and(eq(jobs.status, 'COMPLETED')))
      .groupBy(esxi_servers.name, virtual_machines.name);
    expect(last.length).toBeGreaterThan(0);
    const series = [...samples.keys()].filter((k) => k.startsWith('esxi_vm_last_backup_timestamp_seconds{'));
    expect(series).toHaveLength(last.length);
    for (const row of last) {
      expect(get('esxi_vm_last_backup_timestamp_seconds', { server: row.server, vm: row.vm })).toBe(
        (row.at as Date).getTime() / 1000,
      );
    }
  });

  it('labels HTTP durations with the route pattern, never the raw path', async () => {
    const { headers } = await t.apiUser('viewer');
    expect((await t.app.request('/api/vm-backups/424242/', { headers })).status).toBe(404);
    const { samples } = await scrape();
    const keys = [...samples.keys()].filter((k) => k.startsWith('esxi_http_request_duration_seconds_count'));
    expect(keys).toContain(
      sampleKey('esxi_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/vm-backups/:id',
        status: '404',
      }),
    );
    expect(keys.join('\n')).not.toContain('424242');
  });
});

describe('GET /api/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: 'scrape-secret-123' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('requires the bearer token', async () => {
    const without = await t.app.request('/api/metrics');
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await t.app.request('/api/metrics', { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const apiToken = (await t.apiUser('admin')).headers;
    expect((await t.app.request('/api/metrics', { headers: apiToken })).status).toBe(401);
    const right = await t.app.request('/api/metrics/', {
      headers: { Authorization: 'Bearer scrape-secret-123' },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('esxi_backups_total 0');
  });
});

describe('the database families on embedded PGlite', () => {
  it('computes the same values as on PostgreSQL', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ebm-metrics-pglite-'));
    const database = await openDatabase({ dataDir: dir });
    try {
      await migrate(database);
      const { serverId, vmIds } = await seedMetricsData(database.db, {
        servers: 2,
        vmsPerServer: 3,
        datastoresPerServer: 2,
        jobs: 28,
      });
      await seedReplicationData(database.db, [serverId, serverId + 1], vmIds);
      const metrics = createMetrics({ db: database.db, logger: createLogger('silent') });
      const samples = parseMetrics(await metrics.scrape());
      expect(samples.get('esxi_backups_success_rate')).toBe(42.86);
      expect(samples.get('esxi_snapshots_total')).toBe(12);
      expect(samples.get('esxi_verifications_success_rate')).toBe(33.33);
      expect(
        samples.get(sampleKey('esxi_replication_lag_seconds', { id: '1', replication: 'rep-1' })),
      ).toBeGreaterThanOrEqual(600);
      for (const name of SEED_NAMES) expect(samples.has(name), name).toBe(true);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
