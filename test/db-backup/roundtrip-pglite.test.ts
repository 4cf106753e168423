/**
 * Back up, change the data, restore with the CLI (a real process), find the original data; on embedded
 * PGlite. A backup whose checksum does not match its metadata is refused (exit 4); the CLI refuses to open
 * the database while the app runs (exit 3); the app's own 💾 backup works on PGlite too.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { users } from '../../src/db/schema.js';
import { createUser } from '../../src/db/users.js';
import { startApp } from '../support/app-process.js';
import { runCli } from './cli.js';

const names = async (db: Db) =>
  (await db.select().from(users).orderBy(users.username)).map((u) => u.username);

/** Signs in as `root`, clicks 💾 as htmx would, polls until `HX-Trigger: done`, returns the backup's name. */
async function backupThroughTheApp(url: string): Promise<string> {
  const login = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: url },
    body: new URLSearchParams({ username: 'root', password: 'root-password', next: '/' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const home = (await (await fetch(`${url}/`, { headers: { Cookie: cookie } })).text()).replaceAll(
    '&quot;',
    '"',
  );
  const csrf = /"X-CSRF-Token":"([^"]+)"/.exec(home)?.[1] ?? '';
  const headers = { Cookie: cookie, 'X-CSRF-Token': csrf, 'HX-Request': 'true', Origin: url };
  const started = await (await fetch(`${url}/backup/start`, { method: 'POST', headers })).text();
  const job = /data-job-id="(\d+)"/.exec(started)?.[1];
  for (let i = 0; i < 120; i++) {
    const progress = await fetch(`${url}/backup/progress?job=${job}`, { headers });
    await progress.text();
    if (progress.headers.get('hx-trigger') === 'done') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const result = await (await fetch(`${url}/backup/result?job=${job}`, { headers })).text();
  return /data-testid="db-backup-name">([^<]+)</.exec(result)?.[1] ?? result;
}

describe('database backup and restore through the CLI on PGlite', () => {
  it('round-trips on PGlite, refuses a tampered checksum, and refuses while the app runs', async () => {
    const env = { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ebm-dbb-lite-')) };
    const reopen = async () => openDatabase({ dataDir: env.DATA_DIR });
    let database = await reopen();
    await migrate(database);
    await createUser(database.db, { username: 'alice', password: 'alice-password', role: 'admin' });
    await createUser(database.db, { username: 'root', password: 'root-password', role: 'admin' });
    await database.close();

    const backup = await runCli([], env);
    expect(backup.code, backup.stderr).toBe(0);
    const file = /^backup written: (\S+) \(/.exec(backup.stdout)?.[1] as string;

    database = await reopen();
    await database.db.delete(users).where(eq(users.username, 'alice'));
    await createUser(database.db, { username: 'bob', password: 'bob-password1', role: 'viewer' });
    await database.close();

    const tampered = path.join(mkdtempSync(path.join(tmpdir(), 'ebm-dbb-copy-')), 'backup_copy.sql.gz');
    writeFileSync(tampered, readFileSync(file));
    const meta = JSON.parse(readFileSync(file.replace(/\.sql\.gz$/, '.json'), 'utf8'));
    writeFileSync(
      tampered.replace(/\.sql\.gz$/, '.json'),
      JSON.stringify({ ...meta, sha256: '0'.repeat(64) }),
    );
    const refused = await runCli(['--restore-path', tampered, '--yes'], env);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('does not match its metadata');

    const app = await startApp(env);
    try {
      const name = await backupThroughTheApp(app.url);
      expect(name).toMatch(/^backup_postgres_\d{8}_\d{6}\.sql\.gz$/);
      const locked = await runCli(['--restore', '--yes'], env);
      expect(locked.code).toBe(3);
      expect(locked.stderr).toContain(`refused: the embedded database is in use by process ${app.pid}`);
    } finally {
      await app.stop();
    }

    const restored = await runCli(['--restore-path', file, '--yes'], env);
    expect(restored.code, restored.stderr).toBe(0);
    database = await reopen();
    try {
      expect(await names(database.db)).toEqual(['alice', 'root']);
    } finally {
      await database.close();
    }
  }, 120_000);
});
