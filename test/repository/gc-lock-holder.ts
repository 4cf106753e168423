/**
 * @module test/repository/gc-lock-holder: a second OS process that takes a repository's GC lock the way a
 * `repository_gc` job does (`withGcLock` on the same Postgres) and holds it until it is killed or its stdin
 * ends. Prints `locked` once it holds the lock.
 * @example node --import tsx test/repository/gc-lock-holder.ts postgres://…/ebm_test_x /tmp/repo
 */
import { tmpdir } from 'node:os';
import { openDatabase } from '../../src/db/client.js';
import { withGcLock } from '../../src/db/repository-jobs.js';

const [databaseUrl, dir] = process.argv.slice(2);
if (!databaseUrl || !dir) throw new Error('usage: gc-lock-holder.ts <database url> <repository dir>');
const database = await openDatabase({ databaseUrl, dataDir: tmpdir() });
await withGcLock(database.db, dir, async () => {
  console.log('locked');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
});
await database.close();
