/**
 * @module bench/metrics: `GET /api/metrics` scrape time on a scratch database holding 10,000 jobs, 1,000 VMs
 * and 100 datastores, against the same scrape on an empty database (target under 100 ms; the ratio is
 * printed). Then, unless BENCH_POLL=0, the progress-polling load: 200 clients poll `/operations/widget`
 * every 500 ms while 50 jobs are IN_PROGRESS (added to the empty database, so that the widget lists just
 * those; the loaded app is stopped first): after 3 s of warm-up, p50/p99 latency and the server's CPU over
 * BENCH_POLL_SECONDS (default 20), beside a bare Hono hello-world measured the same way. The servers are child processes on the real PostgreSQL server
 * (TEST_DATABASE_URL, as the tests). Run: `npx tsx bench/metrics.ts` (BENCH_SCRAPES, BENCH_POLL_SECONDS).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { jobs } from '../src/db/schema.js';
import { createUser } from '../src/db/users.js';
import { parseMetrics, seedMetricsData, seedReplicationData } from '../test/metrics/support.js';
import { type AppProcess, startApp } from '../test/support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';

const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 50);
const POLL_SECONDS = Number(process.env.BENCH_POLL_SECONDS ?? 20);
const WARM_UP_SECONDS = 3;
const tmp = mkdtempSync(path.join(tmpdir(), 'ebm-bench-metrics-'));
const ms = (n: number) => `${n.toFixed(1)} ms`;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Times `SCRAPES` sequential scrapes after 5 warm-up ones. @returns sorted milliseconds and the last body. */
async function timeScrapes(url: string) {
  let body = '';
  for (let i = 0; i < 5; i++) body = await (await fetch(`${url}/api/metrics`)).text();
  const times: number[] = [];
  for (let i = 0; i < SCRAPES; i++) {
    const start = performance.now();
    body = await (await fetch(`${url}/api/metrics`)).text();
    times.push(performance.now() - start);
  }
  return { times: times.sort((a, b) => a - b), body };
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * 200 clients each GET `url` every 500 ms for WARM_UP_SECONDS (not measured: JIT, connection set-up) and
 * then POLL_SECONDS. @returns latencies and CPU of `pid` over the measured seconds.
 */
async function pollLoad(url: string, pid: number, headers: Record<string, string> = {}) {
  const latencies: number[] = [];
  let errors = 0;
  const measureFrom = Date.now() + WARM_UP_SECONDS * 1000;
  const end = measureFrom + POLL_SECONDS * 1000;
  let cpuBefore = 0;
  setTimeout(() => {
    cpuBefore = cpuSeconds(pid);
  }, measureFrom - Date.now());
  const client = async (offset: number) => {
    await new Promise((r) => setTimeout(r, offset));
    while (Date.now() < end) {
      const start = performance.now();
      const measured = Date.now() >= measureFrom;
      const res = await fetch(url, { headers }).catch(() => null);
      if (res?.ok) await res.arrayBuffer();
      else if (measured) errors++;
      const took = performance.now() - start;
      if (measured) latencies.push(took);
      await new Promise((r) => setTimeout(r, Math.max(0, 500 - took)));
    }
  };
  await Promise.all(Array.from({ length: 200 }, (_, i) => client((i * 500) / 200)));
  const cpu = cpuSeconds(pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    requests: latencies.length,
    errors,
    cpu,
  };
}

async function helloWorld(): Promise<{ url: string; pid: number; stop: () => void }> {
  const code = `import { serve } from '@hono/node-server'; import { Hono } from 'hono';
    const app = new Hono().get('*', (c) => c.text('hello'));
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (i) => console.log(i.port));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: path.resolve(import.meta.dirname, '..'),
  });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid as number, stop: () => child.kill('SIGTERM') };
}

const databases: TestDatabase[] = [];
const apps: AppProcess[] = [];
const appOn = async (database: TestDatabase, name: string) => {
  const app = await startApp({
    DATABASE_URL: database.url,
    DATA_DIR: path.join(tmp, name),
    INVENTORY_SYNC_INTERVAL_SECONDS: '0',
  });
  apps.push(app);
  return app;
};
try {
  const [empty, full] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  databases.push(empty, full);
  const seedStart = performance.now();
  const { serverId, vmIds } = await seedMetricsData(full.db, {
    servers: 10,
    vmsPerServer: 100,
    datastoresPerServer: 10,
    jobs: 10_000,
  });
  await seedReplicationData(full.db, [serverId, serverId + 1], vmIds);
  await full.db.execute(sql`analyze`);
  console.log(`seeded 10,000 jobs, 1,000 VMs, 100 datastores in ${ms(performance.now() - seedStart)}`);

  const [emptyApp, fullApp] = [await appOn(empty, 'empty'), await appOn(full, 'full')];
  const base = await timeScrapes(emptyApp.url);
  const loaded = await timeScrapes(fullApp.url);
  const samples = parseMetrics(loaded.body);
  console.log(`\n/api/metrics, ${SCRAPES} sequential scrapes each (after 5 warm-up):`);
  for (const [label, r] of [
    ['empty database', base],
    ['10k jobs/1k VMs/100 datastores', loaded],
  ] as const) {
    console.log(
      `  ${label.padEnd(32)} p50 ${ms(quantile(r.times, 0.5))}  p95 ${ms(quantile(r.times, 0.95))}  max ${ms(r.times.at(-1) ?? 0)}  ${(r.body.length / 1024).toFixed(0)} KiB, ${r.body.split('\n').filter((l) => l && !l.startsWith('#')).length} samples`,
    );
  }
  const ratio = quantile(loaded.times, 0.5) / quantile(base.times, 0.5);
  const p95 = quantile(loaded.times, 0.95);
  console.log(
    `  ratio loaded/empty (p50): ${ratio.toFixed(2)}x; loaded p95 ${ms(p95)}: ${p95 < 100 ? 'within' : 'OVER'} the 100 ms target`,
  );
  const collectors = [...samples].filter(([k]) => k.startsWith('esxi_scrape_collector_duration_seconds'));
  console.log(
    `  per family (last scrape): ${collectors.map(([k, v]) => `${/"(\w+)"/.exec(k)?.[1]} ${ms(v * 1000)}`).join(', ')}`,
  );
  console.log(
    `  check: esxi_backups_total ${samples.get('esxi_backups_total')}, VMs with a last backup ${[...samples.keys()].filter((k) => k.startsWith('esxi_vm_last_backup_timestamp_seconds{')).length}`,
  );

  if (process.env.BENCH_POLL !== '0') {
    await fullApp.stop(); // its scheduler and monitor would otherwise share the two cores with the poll
    await empty.db.insert(jobs).values(
      Array.from({ length: 50 }, (_, i) => ({
        type: 'vm_backup' as const,
        status: 'IN_PROGRESS' as const,
        target_label: `busy-${i}`,
        progress: i * 2,
        lease_owner: 'bench',
        lease_expires_at: sql`now() + interval '1 hour'`,
        started_at: sql`now()`,
      })),
    );
    await createUser(empty.db, { username: 'bench', password: 'bench-password', role: 'viewer' });
    const login = await fetch(`${emptyApp.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: emptyApp.url },
      body: new URLSearchParams({ username: 'bench', password: 'bench-password', next: '/' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const widget = await fetch(`${emptyApp.url}/operations/widget`, { headers: { Cookie: cookie } });
    if (!widget.ok || !(await widget.text()).includes('busy-0'))
      throw new Error('the widget does not show the running jobs');
    const hello = await helloWorld();
    const app = await pollLoad(`${emptyApp.url}/operations/widget`, emptyApp.pid, { Cookie: cookie });
    const bare = await pollLoad(hello.url, hello.pid);
    hello.stop();
    console.log(
      `\nprogress polling: 200 clients, one GET every 500 ms each, ${POLL_SECONDS} s, 50 jobs IN_PROGRESS:`,
    );
    for (const [label, r] of [
      ['/operations/widget (app)', app],
      ['hello-world (bare Hono)', bare],
    ] as const) {
      console.log(
        `  ${label.padEnd(26)} p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  ${r.requests} requests (${(r.requests / POLL_SECONDS).toFixed(0)}/s), ${r.errors} errors, server CPU ${((r.cpu / POLL_SECONDS) * 100).toFixed(0)}% of a core`,
      );
    }
  }
} finally {
  for (const app of apps) await app.stop().catch(() => app.kill());
  for (const database of databases) await database.drop();
  rmSync(tmp, { recursive: true, force: true });
}
