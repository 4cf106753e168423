import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../src/db/schema.js';
import { parseMetrics } from '../metrics/support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('OVF export metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts the ovf_export jobs by status at /api/metrics, 0 when there is none', async () => {
    const scrape = async () => parseMetrics(await (await t.app.request('/api/metrics')).text());
    expect((await scrape()).get('esxi_ovf_exports_total')).toBe(0);
    const statuses = ['COMPLETED', 'COMPLETED', 'FAILED', 'CANCELLED', 'PENDING', 'IN_PROGRESS'] as const;
    await t.deps.db.insert(jobs).values(statuses.map((status) => ({ type: 'ovf_export' as const, status })));
    await t.deps.db.insert(jobs).values({ type: 'vm_backup', status: 'COMPLETED' });
    const samples = await scrape();
    expect(samples.get('esxi_ovf_exports_total')).toBe(6);
    expect(samples.get('esxi_ovf_exports_completed')).toBe(2);
    expect(samples.get('esxi_ovf_exports_failed')).toBe(1);
    expect(samples.get('esxi_ovf_exports_cancelled')).toBe(1);
    expect(samples.get('esxi_ovf_exports_pending')).toBe(1);
    expect(samples.get('esxi_ovf_exports_running')).toBe(1);
  });

  it('counts the ovf_import jobs by status', async () => {
    const scrape = async () => parseMetrics(await (await t.app.request('/api/metrics')).text());
    expect((await scrape()).get('esxi_ovf_imports_total')).toBe(0);
    const statuses = ['COMPLETED', 'FAILED', 'FAILED', 'IN_PROGRESS'] as const;
    await t.deps.db.insert(jobs).values(statuses.map((status) => ({ type: 'ovf_import' as const, status })));
    const samples = await scrape();
    expect(samples.get('esxi_ovf_imports_total')).toBe(4);
    expect(samples.get('esxi_ovf_imports_completed')).toBe(1);
    expect(samples.get('esxi_ovf_imports_failed')).toBe(2);
    expect(samples.get('esxi_ovf_imports_running')).toBe(1);
    expect(samples.get('esxi_ovf_imports_pending')).toBe(0);
  });
});
