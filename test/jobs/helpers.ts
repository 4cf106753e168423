/** @module test/jobs/helpers: dependencies, runner options and waiting helpers for the job tests. */
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { getJob } from '../../src/db/jobs.js';
import { esxi_servers } from '../../src/db/schema.js';
import type { AppDeps } from '../../src/deps.js';
import { createDeps } from '../../src/deps.js';
import type { JobRunnerOptions } from '../../src/jobs/runner.js';
import type { JobRow } from '../../src/jobs/types.js';
import { createLogger } from '../../src/logger.js';

/** AppDeps on a test database, logging into a string (`logs()`). */
export function jobDeps(database: Database): AppDeps & { logs(): string } {
  let logs = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  const config = loadConfig({
    DATA_DIR: `/tmp/ebm-test-${process.pid}`,
    APP_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'debug',
  });
  return { ...createDeps(config, database, createLogger('debug', sink)), logs: () => logs };
}

/** Fast settings for tests: 20 ms polls, 0.2 s heartbeats, 2 s leases. */
export function fastOptions(overrides: Partial<JobRunnerOptions> = {}): JobRunnerOptions {
  return {
    pollMs: 20,
    heartbeatSeconds: 0.2,
    leaseSeconds: 2,
    concurrency: 4,
    perHostConcurrency: 1,
    progressIntervalMs: 50,
    stopGraceMs: 3000,
    ...overrides,
  };
}

/** Polls `check` until it returns a truthy value. @throws Error after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 8000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the job has the given status and returns its row. */
export function waitForStatus(db: AppDeps['db'], id: number, status: JobRow['status'], timeoutMs = 8000) {
  return waitFor(
    async () => {
      const job = await getJob(db, id);
      return job?.status === status ? job : null;
    },
    timeoutMs,
    `job ${id} ${status}`,
  );
}

/** Inserts a minimal ESXi server row (for the per-host limit) and returns its id. */
export async function insertHost(db: AppDeps['db'], name: string): Promise<number> {
  const [row] = await db
    .insert(esxi_servers)
    .values({ name, hostname: `${name}.test`, username: 'root', password_encrypted: 'x' })
    .returning({ id: esxi_servers.id });
  return (row as { id: number }).id;
}

/** A promise with its resolve function, to hold a handler until the test lets it go. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}
