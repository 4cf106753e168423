/**
 * A real scrape: Debian's `prometheus` binary on loopback scrapes the app (a child process on a fresh
 * database) every second while a real backup runs through the API against the ESXi simulator; then its
 * HTTP API must report the backup. Skipped with a message when the binary is missing (.ci/run installs it).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, putFile } from '../backup/support.js';
import { adminHeaders, apiClient, fetchOn, type Json, registerSimulator } from '../support/api-client.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type Simulator, startSimulator } from '../support/simulator.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PROMETHEUS = ['/usr/bin/prometheus', process.env.PROMETHEUS].find(
  (p) => p && spawnSync(p, ['--version']).status === 0,
);
const SKIP = 'SKIPPED: prometheus binary not found (apt-get install prometheus; .ci/run installs it)';
if (!PROMETHEUS) console.warn(`test/metrics/prometheus-scrape.test.ts: ${SKIP}`);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function waitFor(ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!PROMETHEUS)(`Prometheus scraping the app${PROMETHEUS ? '' : ` (${SKIP})`}`, () => {
  let database: TestDatabase;
  let esx: Simulator;
  let app: AppProcess | undefined;
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  let promLogs = '';
  const tmp = mkdtempSync(path.join(tmpdir(), 'ebm-prom-'));

  beforeAll(async () => {
    [database, esx] = await Promise.all([createTestDatabase(), startSimulator({ tls: true })]);
    app = await startApp({
      DATABASE_URL: database.url,
      DATA_DIR: path.join(tmp, 'data'),
      INVENTORY_SYNC_INTERVAL_SECONDS: '0',
    });
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(
      path.join(tmp, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(path.join(ROOT, 'monitoring/prometheus/alerts.yml'))}]`,
        'scrape_configs:',
        '  - job_name: ebm',
        '    metrics_path: /api/metrics',
        `    static_configs: [{ targets: ['${new URL(app.url).host}'] }]`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      PROMETHEUS as string,
      [
        `--config.file=${path.join(tmp, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(tmp, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (d: Buffer) => (promLogs += d));
    prometheus.stderr?.on('data', (d: Buffer) => (promLogs += d));
    await waitFor(async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.status === 200, 20_000);
  });
  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus?.once('exit', r));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    await app?.stop().catch(() => app?.kill());
    await esx?.stop();
    await database?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** The values of an instant query, by the sample's label set. */
  const query = async (promql: string) => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { data: { result: Array<{ metric: Json; value: [number, string] }> } };
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  const value = async (promql: string) => (await query(promql))[0]?.value;

  it('reports a backup run through the API: counts, duration histogram, bytes, last backup, datastores', async () => {
    const headers = await adminHeaders(database.db);
    const base = (app as AppProcess).url;
    const api = apiClient(
      fetchOn(() => base),
      headers,
    );
    const { call } = api;
    await expect.poll(() => value('up{job="ebm"}'), { timeout: 15_000 }).toBe(1);
    expect(await value('esxi_backups_completed_total')).toBe(0);

    const serverId = await registerSimulator(api, 'esx', esx);
    const vmName = esx.vms[0] as string;
    const client = await connect(esx);
    await putFile(client, esx, `${vmName}/disk1-flat.vmdk`, randomBytes(2 * 1024 * 1024));
    await client.logout();
    await call('POST', `/api/esxi-servers/${serverId}/sync/`);
    const storage = await call('POST', '/api/storage-paths/', {
      name: 'local',
      path: path.join(tmp, 'store'),
    });
    expect(storage.status).toBe(201);
    const vm = (await call('GET', `/api/virtual-machines/?search=${vmName}`)).body[0] as Json;
    const backup = await call('POST', '/api/vm-backups/', {
      virtual_machine: vm.id,
      storage_path: storage.body.id,
    });
    expect(backup.status).toBe(201);
    await expect
      .poll(async () => (await call('GET', `/api/vm-backups/${backup.body.id}/`)).body.status, {
        timeout: 30_000,
      })
      .toBe('COMPLETED');

    await expect.poll(() => value('esxi_backups_completed_total'), { timeout: 15_000 }).toBe(1);
    expect(await value('esxi_backups_total')).toBe(1);
    expect(await value('esxi_backups_success_rate')).toBe(100);
    await expect
      .poll(() => value('esxi_backup_duration_seconds_count{status="completed"}'), { timeout: 10_000 })
      .toBe(1);
    expect(await value('esxi_backup_bytes_total')).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    const last = await query(`esxi_vm_last_backup_timestamp_seconds{server="esx",vm="${vmName}"}`);
    expect(last).toHaveLength(1);
    expect(Math.abs((last[0]?.value ?? 0) - Date.now() / 1000)).toBeLessThan(120);
    const datastores = await query('esxi_datastore_used_percent{server="esx"}');
    expect(datastores.map((d) => d.metric.datastore)).toContain(esx.datastores[0]?.name);
    expect(await value('esxi_servers_total')).toBe(1);
    expect(await value('esxi_storage_paths_active')).toBe(2); // `default` (BACKUP_DIR) and the test's
    const routes = await query('esxi_http_request_duration_seconds_count{route="/api/vm-backups/:id"}');
    expect(routes.length).toBeGreaterThan(0);
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: Json[] } };
    expect(rules.data.groups).toHaveLength(1);
    expect(promLogs).not.toMatch(/level=error/);
  });
});
