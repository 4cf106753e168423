/**
 * @module test/support/test-app: the app in-process (`app.request`) on a fresh real-Postgres database,
 * with its logs captured, and helpers to sign in through the real forms or get an API token.
 */
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Role } from '../../src/db/schema.js';
import { createApiToken, createUser } from '../../src/db/users.js';
import type { AppDeps } from '../../src/deps.js';
import { createDeps } from '../../src/deps.js';
import { jobDefinitions, runnerOptionsFromConfig } from '../../src/jobs/definitions.js';
import { startJobRunner } from '../../src/jobs/runner.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  database: TestDatabase;
  /** Every log line written so far (JSON). */
  logs(): string;
  /** A user with that role and an API token for it. */
  apiUser(role?: Role): Promise<{ token: string; headers: Record<string, string> }>;
  /** A browser-like session: cookie and CSRF token obtained through /login. */
  signIn(role?: Role): Promise<{ cookie: string; csrf: string; username: string; password: string }>;
  close(): Promise<void>;
}

let seq = 0;

/**
 * @param env settings on top of the test defaults.
 * @param options.runner also start a job runner (backups, restores run for real), stopped by `close()`.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { runner?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
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
    INVENTORY_SYNC_INTERVAL_SECONDS: '0',
    VSPHERE_TIMEOUT_SECONDS: '10',
    ...env,
  });
  const deps = createDeps(config, database, createLogger('debug', sink));
  const runner = options.runner
    ? startJobRunner(deps, jobDefinitions, {
        ...runnerOptionsFromConfig(config, 'postgres'),
        pollMs: 100,
        heartbeatSeconds: 1,
        leaseSeconds: 5,
      })
    : null;
  if (runner) deps.jobs = runner;
  const app = createApp(deps);

  const makeUser = async (role: Role) => {
    const username = `${role}${++seq}`;
    const password = `pw-${role}-${seq}-secret`;
    await createUser(database.db, { username, password, role });
    return { username, password };
  };

  return {
    app,
    deps,
    database,
    logs: () => logs,
    async apiUser(role = 'admin') {
      const { username } = await makeUser(role);
      const [user] = await database.db.query.users.findMany({
        where: (u, { eq }) => eq(u.username, username),
      });
      const token = await createApiToken(database.db, (user as { id: number }).id);
      return { token, headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' } };
    },
    async signIn(role = 'admin') {
      const { username, password } = await makeUser(role);
      const res = await app.request('/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
        body: new URLSearchParams({ username, password, next: '/' }),
      });
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const page = await (await app.request('/', { headers: { Cookie: cookie } })).text();
      const csrf = /"X-CSRF-Token":"([^"]+)"/.exec(page.replaceAll('&quot;', '"'))?.[1] ?? '';
      return { cookie, csrf, username, password };
    },
    close: async () => {
      await runner?.stop();
      await database.drop();
    },
  };
}
