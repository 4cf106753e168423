import { Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJob } from '../../src/db/jobs.js';
import { jobs } from '../../src/db/schema.js';
import { startJobRunner } from '../../src/jobs/runner.js';
import type { Collector } from '../../src/metrics/collector.js';
import { createMetrics, type Metrics } from '../../src/metrics/registry.js';
import { createScrape } from '../../src/metrics/scrape.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { parseMetrics, sampleKey } from './support.js';

describe('job outcome metrics, observed through the runner finish hook', () => {
  let t: TestApp;
  let metrics: Metrics;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    t = await createTestApp();
    metrics = createMetrics(t.deps);
    // A backup whose worker died 30 s after it started: the runner's recovery fails it as interrupted.
    await t.database.db.insert(jobs).values({
      type: 'vm_backup',
      target_label: 'vm-dead',
      status: 'IN_PROGRESS',
      lease_owner: 'dead-worker',
      lease_expires_at: new Date(Date.now() - 1000),
      started_at: new Date(Date.now() - 30_000),
    });
    const runner = startJobRunner(
      t.deps,
      {
        vm_backup: {
          cancellable: false,
          handler: async ({ report }) => {
            report({ bytes_done: 4096, bytes_total: 4096 });
            await new Promise((r) => setTimeout(r, 1100));
          },
        },
        restore: {
          cancellable: false,
          handler: async () => {
            throw new Error('boom');
          },
        },
      },
      {
        pollMs: 50,
        heartbeatSeconds: 1,
        leaseSeconds: 5,
        concurrency: 2,
        perHostConcurrency: 2,
        onJobFinished: metrics.jobFinished,
      },
    );
    stop = () => runner.stop();
    await insertJob(t.database.db, { type: 'vm_backup', target_label: 'vm-a' });
    await insertJob(t.database.db, { type: 'restore', target_label: 'vm-b' });
    runner.wake();
  });
  afterAll(async () => {
    await stop?.();
    await t?.close();
  });

  it('observes the duration (database clock) and the bytes of each job this process finished', async () => {
    const get = async (name: string, labels?: Record<string, string>) =>
      parseMetrics(await metrics.scrape()).get(sampleKey(name, labels));
    await expect
      .poll(() => get('esxi_backup_duration_seconds_count', { status: 'completed' }), { timeout: 15_000 })
      .toBe(1);
    expect(await get('esxi_backup_bytes_total')).toBe(4096);
    const seconds = (await get('esxi_backup_duration_seconds_sum', { status: 'completed' })) as number;
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThan(10);
    expect(await get('esxi_backup_duration_seconds_bucket', { status: 'completed', le: '10' })).toBe(1);
    await expect
      .poll(() => get('esxi_restore_duration_seconds_count', { status: 'failed' }), { timeout: 15_000 })
      .toBe(1);
    expect(await get('esxi_restore_duration_seconds_count', { status: 'completed' })).toBe(0);
    expect(await get('esxi_backups_completed_total')).toBe(1);
  });

  it('observes the jobs this process failed as interrupted (their worker died)', async () => {
    const get = async (name: string, labels?: Record<string, string>) =>
      parseMetrics(await metrics.scrape()).get(sampleKey(name, labels));
    await expect
      .poll(() => get('esxi_backup_duration_seconds_count', { status: 'failed' }), { timeout: 15_000 })
      .toBe(1);
    expect(await get('esxi_backup_duration_seconds_sum', { status: 'failed' })).toBeGreaterThanOrEqual(29);
  });
});

describe('a failing collector', () => {
  it('drops its own series for that scrape, reports esxi_scrape_collector_success 0, keeps the others', async () => {
    const registry = new Registry();
    let fail = false;
    const flaky = new Gauge({ name: 'flaky_value', help: 'x', registers: [] });
    const steady = new Gauge({ name: 'steady_value', help: 'x', registers: [] });
    const collectors: Collector[] = [
      {
        name: 'flaky',
        metrics: [['flaky_value', flaky]],
        update: async () => {
          if (fail) throw new Error('database gone');
          flaky.set(7);
        },
      },
      { name: 'steady', metrics: [['steady_value', steady]], update: async () => steady.set(1) },
    ];
    const logger = { warn: () => {} } as unknown as Parameters<typeof createScrape>[3];
    const scrape = createScrape(registry, null as never, collectors, logger);
    let samples = parseMetrics(await scrape());
    expect(samples.get('flaky_value')).toBe(7);
    expect(samples.get(sampleKey('esxi_scrape_collector_success', { collector: 'flaky' }))).toBe(1);
    fail = true;
    samples = parseMetrics(await scrape());
    expect(samples.has('flaky_value')).toBe(false);
    expect(samples.get('steady_value')).toBe(1);
    expect(samples.get(sampleKey('esxi_scrape_collector_success', { collector: 'flaky' }))).toBe(0);
    fail = false;
    expect(parseMetrics(await scrape()).get('flaky_value')).toBe(7);
  });

  it('shares one database pass between concurrent scrapes', async () => {
    let calls = 0;
    const g = new Gauge({ name: 'calls', help: 'x', registers: [] });
    const collector: Collector = {
      name: 'slow',
      metrics: [['calls', g]],
      update: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 50));
        g.set(calls);
      },
    };
    const scrape = createScrape(new Registry(), null as never, [collector], { warn: () => {} } as never);
    const [a, b] = await Promise.all([scrape(), scrape()]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
  });
});
