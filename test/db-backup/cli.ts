/** @module test/db-backup/cli: runs `src/db-backup/cli.ts` as a real process (tsx), without a terminal. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const APP_VARIABLES = [
  'DATABASE_URL',
  'DATA_DIR',
  'DB_BACKUP_DIR',
  'PG_DUMP_PATH',
  'APP_SECRET',
  'LOG_LEVEL',
];

/**
 * Runs `npm run db:backup -- <args>` as `node --import tsx src/db-backup/cli.ts <args>`, stdin closed.
 * @param env the app settings (DATA_DIR, DATABASE_URL, ...); those of the test's own environment are dropped.
 * @returns the exit code and the output.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const inherited = { ...process.env };
  for (const name of APP_VARIABLES) delete inherited[name];
  const child = spawn(NODE, ['--import', 'tsx', 'src/db-backup/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...inherited, APP_SECRET: 'cli-test-secret-cli-test-secret-0123456789', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
  });
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
