/**
 * @module bench/db-backup: backs up a PostgreSQL database of about 200 MB (a scratch database on the local
 * server, created and dropped here) with the app's engine (pg_dump -> gzip -> SHA-256 in a worker, then the
 * integrity re-read), and with `pg_dump | gzip > f && sha256sum f`. Prints both wall times and their ratio
 * (target within 1.10x), and the event-loop lag p99 while our backup runs (target under 50 ms). Each side
 * runs twice, alternating; the best of each is compared (the machine may be shared).
 * Run: `npx tsx bench/db-backup.ts` (BENCH_DB_MB=200 to change the size; BENCH_ADMIN_URL for the server).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.js';
import { runDbBackup } from '../src/db-backup/engine.js';
import { libpqEnv } from '../src/db-backup/tools.js';
import { closeWorkerPools } from '../src/workers/pool.js';

const run = promisify(execFile);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_MB = Number(process.env.BENCH_DB_MB ?? 200);
const NAME = 'ebm_bench_db_backup';
const tmp = mkdtempSync(path.join(tmpdir(), 'ebm-bench-dbb-'));
const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${NAME}` }).toString();
const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);

async function createScratchDatabase(): Promise<number> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${NAME} with (force)`);
  await admin.unsafe(`create database ${NAME}`);
  await admin.end();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create table events (id bigserial primary key, host text not null, vm text not null,
    message text not null, bytes bigint not null, at timestamptz not null)`);
  // ~150 bytes a row on disk with its index.
  let size = 0;
  for (let batch = 0; size < TARGET_MB * 1_000_000; batch++) {
    await sql.unsafe(`insert into events (host, vm, message, bytes, at)
      select 'esx-' || (g % 17), 'vm-' || (g % 997), md5(g::text) || ' ' || md5((g::bigint * 31)::text),
        (g::bigint * 7919) % 100000000, now() - make_interval(secs => g)
      from generate_series(${batch * 250_000 + 1}, ${(batch + 1) * 250_000}) g`);
    size = Number((await sql.unsafe(`select pg_database_size('${NAME}') as s`))[0]?.s);
  }
  await sql.unsafe('vacuum analyze events');
  await sql.end();
  return size;
}

async function baseline(): Promise<number> {
  const file = path.join(tmp, `baseline-${Date.now()}.sql.gz`);
  const started = performance.now();
  await run(
    'bash',
    ['-c', `pg_dump --format=plain --no-owner --no-privileges | gzip > '${file}' && sha256sum '${file}'`],
    { env: { ...process.env, ...libpqEnv(url) }, maxBuffer: 1 << 20 },
  );
  const ms = performance.now() - started;
  rmSync(file);
  return ms;
}

async function ours(db: Awaited<ReturnType<typeof openDatabase>>['db']) {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const started = performance.now();
  lag.enable();
  const backup = await runDbBackup({
    db,
    config: { dbBackupDir: tmp, dbBackupRetention: 1, pgDumpPath: undefined },
    signal: new AbortController().signal,
    report: () => {},
    owner: 'bench',
  });
  lag.disable();
  return { ms: performance.now() - started, lagP99: lag.percentile(99) / 1e6, backup };
}

const size = await createScratchDatabase();
const database = await openDatabase({ databaseUrl: url, dataDir: tmp });
try {
  const base: number[] = [];
  const mine: Array<Awaited<ReturnType<typeof ours>>> = [];
  for (let i = 0; i < 2; i++) {
    base.push(await baseline());
    mine.push(await ours(database.db));
  }
  const bestBase = Math.min(...base);
  const bestOurs = Math.min(...mine.map((m) => m.ms));
  const last = mine[mine.length - 1] as Awaited<ReturnType<typeof ours>>;
  console.log(
    `database: ${mb(size)} MB (pg_database_size), SQL ${mb(last.backup.raw_bytes)} MB, gzip ${mb(statSync(last.backup.path).size)} MB`,
  );
  console.log(
    `pg_dump | gzip > f && sha256sum f: ${base.map((ms) => (ms / 1000).toFixed(2)).join(' s, ')} s`,
  );
  console.log(
    `our backup (dump+gzip+sha256, integrity re-read): ${mine.map((m) => (m.ms / 1000).toFixed(2)).join(' s, ')} s`,
  );
  console.log(`ratio (best/best): ${(bestOurs / bestBase).toFixed(2)}x (target <= 1.10x)`);
  console.log(
    `event-loop lag p99 during our backup: ${mine.map((m) => m.lagP99.toFixed(1)).join(' ms, ')} ms (target < 50 ms)`,
  );
} finally {
  await database.close();
  await closeWorkerPools();
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${NAME} with (force)`);
  await admin.end();
  rmSync(tmp, { recursive: true, force: true });
}
