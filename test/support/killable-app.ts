/**
 * @module test/support/killable-app: for the tests that kill the app mid-job: a scratch database, an admin's
 * API client, and the app as a child process with short job leases that the test kills (SIGKILL) and starts
 * again on the same database and data directory. Registers its own `beforeAll`/`afterAll`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { adminHeaders, apiClient, fetchOn } from './api-client.js';
import { type AppProcess, startApp } from './app-process.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/**
 * @param env settings on top of the defaults (leases of 3 s renewed every second, no inventory sync).
 * @returns `start()`, `killAndRestart()`, and, once started, the `database` and an admin `api`.
 */
export function killableApp(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ebm-kill-'));
  let database: TestDatabase | undefined;
  let app: AppProcess | undefined;
  let api: ReturnType<typeof apiClient> | undefined;
  const settings = () => ({
    DATABASE_URL: (database as TestDatabase).url,
    DATA_DIR: dataDir,
    JOB_LEASE_SECONDS: '3',
    JOB_HEARTBEAT_SECONDS: '1',
    INVENTORY_SYNC_INTERVAL_SECONDS: '0',
    ...env,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    app?.kill();
    await database?.drop();
  });

  return {
    get database(): TestDatabase {
      if (!database) throw new Error('the test database is made in beforeAll');
      return database;
    },
    /** The admin's API client on the current app process (it follows restarts). */
    get api(): ReturnType<typeof apiClient> {
      if (!api) throw new Error('start() the app first');
      return api;
    },
    /** Starts the app (and makes the admin on the first start). */
    async start(): Promise<void> {
      const headers = api ? undefined : await adminHeaders(this.database.db);
      app = await startApp(settings());
      api ??= apiClient(
        fetchOn(() => (app as AppProcess).url),
        headers as Record<string, string>,
      );
    },
    /** Kills the app (SIGKILL) and waits for it to be gone. */
    async kill(): Promise<void> {
      app?.kill();
      await app?.exited;
    },
    /** Kills the app and starts it again on the same database and data directory. */
    async killAndRestart(): Promise<void> {
      await this.kill();
      await this.start();
    },
  };
}
