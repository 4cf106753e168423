/**
 * promtool (Debian package `prometheus`, installed by .ci/run) checks the monitoring kit and the exposition:
 * `check metrics` on a populated scrape (only the seed's own names may break its rules), `check config`,
 * `check rules`, `test rules` (alert unit tests) and every PromQL expression of the Grafana dashboard.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { backup_jobs } from '../../src/db/schema.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { seedMetricsData, seedReplicationData } from './support.js';

/** The seed's names (section 1) that promtool's naming rules reject; kept as the seed names them. */
export const KNOWN_PROMTOOL_EXCEPTIONS: Record<string, string> = {
  esxi_backups_total: 'non-counter metrics should not have "_total" suffix',
  esxi_backups_completed_total: 'non-counter metrics should not have "_total" suffix',
  esxi_backups_failed_total: 'non-counter metrics should not have "_total" suffix',
  esxi_backups_pending_total: 'non-counter metrics should not have "_total" suffix',
  esxi_backups_running_total: 'non-counter metrics should not have "_total" suffix',
  esxi_replications_total: 'non-counter metrics should not have "_total" suffix',
  esxi_failover_events_total: 'non-counter metrics should not have "_total" suffix',
  esxi_verifications_total: 'non-counter metrics should not have "_total" suffix',
  esxi_servers_total: 'non-counter metrics should not have "_total" suffix',
  esxi_snapshots_total: 'non-counter metrics should not have "_total" suffix',
  esxi_storage_paths_total: 'non-counter metrics should not have "_total" suffix',
  // Named in the seed's style by issue 14 (gauges of row counts, as the seed's families).
  esxi_backup_jobs_total: 'non-counter metrics should not have "_total" suffix',
  esxi_backup_job_runs_total: 'non-counter metrics should not have "_total" suffix',
  // Named by issue 16 in the same style.
  esxi_ovf_exports_total: 'non-counter metrics should not have "_total" suffix',
  esxi_ovf_imports_total: 'non-counter metrics should not have "_total" suffix',
  esxi_datastore_capacity_gb: 'metric names should not contain abbreviated units',
  esxi_datastore_free_gb: 'metric names should not contain abbreviated units',
};

const ROOT = path.resolve(import.meta.dirname, '../..');
const PROMTOOL = findPromtool();
const SKIP = 'SKIPPED: promtool not found (apt-get install prometheus; .ci/run installs it)';
if (!PROMTOOL) console.warn(`test/metrics/promtool.test.ts: ${SKIP}`);

function findPromtool(): string | null {
  for (const candidate of [process.env.PROMTOOL, '/usr/bin/promtool', '/usr/local/bin/promtool']) {
    if (candidate && spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  return null;
}

function promtool(args: string[], input?: string) {
  const result = spawnSync(PROMTOOL as string, args, { cwd: ROOT, input, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!PROMTOOL)(`promtool${PROMTOOL ? '' : ` (${SKIP})`}`, () => {
  let t: TestApp;
  let exposition = '';

  beforeAll(async () => {
    t = await createTestApp();
    const { serverId, vmIds } = await seedMetricsData(t.database.db, {
      servers: 2,
      vmsPerServer: 3,
      datastoresPerServer: 2,
      jobs: 28,
    });
    await seedReplicationData(t.database.db, [serverId, serverId + 1], vmIds);
    // A daily backup job over one VM, created two days ago, so that its VM has an RPO (esxi_vm_rpo_met).
    await t.database.db.insert(backup_jobs).values({
      name: 'nightly',
      virtual_machine_ids: vmIds.slice(0, 1),
      schedule: { preset: 'daily', time: '00:00', timezone: 'UTC' },
      created_at: new Date(Date.now() - 2 * 86_400_000),
    });
    const metrics = createMetrics(t.deps, { processMetrics: true });
    const app = createApp(t.deps, { metrics });
    await app.request('/healthz');
    await app.request('/api/vm-backups/1/');
    exposition = await (await app.request('/api/metrics')).text();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('check metrics: only the seed names listed as known exceptions break the naming rules', () => {
    const { output } = promtool(['check', 'metrics'], exposition);
    const problems = output
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, ...rest] = line.split(' ');
        return [name, rest.join(' ')];
      });
    expect(Object.fromEntries(problems)).toEqual(KNOWN_PROMTOOL_EXCEPTIONS);
    expect(exposition).toContain('process_cpu_seconds_total');
  });

  it('check config: monitoring/prometheus/prometheus.yml with its rule file', () => {
    const { status, output } = promtool(['check', 'config', 'monitoring/prometheus/prometheus.yml']);
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });

  it('check rules and the alert unit tests', () => {
    const check = promtool(['check', 'rules', 'monitoring/prometheus/alerts.yml']);
    expect(check.status, check.output).toBe(0);
    const tests = promtool(['test', 'rules', 'test/metrics/alerts.rules-test.yml']);
    expect(tests.status, tests.output).toBe(0);
    expect(tests.output).toContain('SUCCESS');
  });

  it('every dashboard query parses and names metrics the app exposes', () => {
    const dashboard = JSON.parse(
      readFileSync(path.join(ROOT, 'monitoring/grafana/dashboards/esxi-overview.json'), 'utf8'),
    ) as { panels: Array<{ title: string; type: string; targets?: Array<{ expr: string }> }> };
    const titles = dashboard.panels.map((p) => p.type);
    for (const type of ['gauge', 'piechart', 'bargauge', 'stat', 'timeseries'])
      expect(titles).toContain(type);
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((target) => target.expr));
    const exposed = new Set(exposition.match(/^[a-z_]+/gm));
    for (const name of exprs.flatMap((e) => e.match(/esxi_[a-z_]+/g) ?? [])) {
      expect(
        exposed.has(name) || exposed.has(`${name}_count`) || exposed.has(name.replace(/_bucket$/, '_count')),
        name,
      ).toBe(true);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'ebm-dashboard-'));
    try {
      const rules = exprs.map(
        (expr, i) =>
          `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(expr.replaceAll('$__rate_interval', '5m'))}`,
      );
      writeFileSync(
        path.join(dir, 'rules.yml'),
        `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`,
      );
      const check = promtool(['check', 'rules', path.join(dir, 'rules.yml')]);
      expect(check.status, check.output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
