/**
 * Back up, change the data, restore with the CLI (a real process), find the original data; on real
 * PostgreSQL (pg_dump, psql). A corrupt backup is refused (exit 4) and leaves the data alone; a restore
 * without --yes and without a terminal is refused (exit 3).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { users } from '../../src/db/schema.js';
import { createUser } from '../../src/db/users.js';
import { createTestDatabase } from '../support/database.js';
import { runCli } from './cli.js';

const names = async (db: Db) =>
  (await db.select().from(users).orderBy(users.username)).map((u) => u.username);

/** Rewrites one byte in the middle of a file (still the same size). */
function corruptCopy(file: string, to: string) {
  const bytes = readFileSync(file);
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
  writeFileSync(to, bytes);
  writeFileSync(to.replace(/\.sql\.gz$/, '.json'), readFileSync(file.replace(/\.sql\.gz$/, '.json')));
}

describe('database backup and restore through the CLI on PostgreSQL', () => {
  it('round-trips on PostgreSQL and refuses a corrupt file or a missing confirmation', async () => {
    const database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ebm-dbb-pg-')) };
    try {
      await createUser(database.db, { username: 'alice', password: 'alice-password', role: 'admin' });
      const backup = await runCli([], env);
      expect(backup.code, backup.stderr).toBe(0);
      const file = /^backup written: (\S+) \(/.exec(backup.stdout)?.[1] as string;
      expect(file).toMatch(/backup_ebm_test_\w+_\d{8}_\d{6}\.sql\.gz$/);

      await database.db.delete(users).where(eq(users.username, 'alice'));
      await createUser(database.db, { username: 'bob', password: 'bob-password1', role: 'viewer' });
      const unconfirmed = await runCli(['--restore'], env);
      expect(unconfirmed.code).toBe(3);
      expect(unconfirmed.stderr).toContain('confirm with --yes');

      const corrupt = path.join(mkdtempSync(path.join(tmpdir(), 'ebm-dbb-copy-')), 'backup_copy.sql.gz');
      corruptCopy(file, corrupt);
      const refused = await runCli(['--restore-path', corrupt, '--yes'], env);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/^db:backup: The backup .* is corrupt/);
      expect(await names(database.db)).toEqual(['bob']);

      const restored = await runCli(['--restore', '--yes'], env);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(`restored ${file}`);
      expect(restored.stderr).toContain('safety backup of the current data');
      expect(await names(database.db)).toEqual(['alice']);
    } finally {
      await database.drop();
    }
  });
});
