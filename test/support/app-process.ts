/**
 * @module test/support/app-process: runs the real app (`src/index.ts` through tsx, no build needed) as a child
 * process on a free port, for tests that need a whole server: restarts, crashes, several processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE = path.join(ROOT, 'node_modules/.bin/node');

/** Settings of the app that a developer's shell may carry; the child only gets those the test passes. */
const APP_VARIABLES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATA_DIR',
  'BACKUP_DIR',
  'APP_SECRET',
  'APP_SECRET_FILE',
  'LOG_LEVEL',
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
  'INVENTORY_SYNC_INTERVAL_SECONDS',
  'VSPHERE_TIMEOUT_SECONDS',
  'SECURE_COOKIES',
];

export interface AppProcess {
  /** Base URL from the app's `listening` log line, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  pid: number;
  /** SIGTERM, then waits for the exit; rejects when the app needs more than 10 s (it is then SIGKILLed). */
  stop(): Promise<void>;
  /** SIGKILL: a real crash, nothing is cleaned up (lock files, open transactions stay behind). */
  kill(): void;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  logs(): string;
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartAppOptions {
  /** Entry file relative to the repository root; default `src/index.ts`. */
  entry?: string;
  /** How long to wait for the `listening` line; default 60 s. */
  timeoutMs?: number;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts the app with `PORT=0`, `HOST=127.0.0.1`, `LOG_LEVEL=info` and then `env` on top.
 * @param env app settings, e.g. `{ DATA_DIR, DATABASE_URL }`; the app variables of the test's own
 *   environment are not passed on.
 * @throws Error with the app's output when it exits or stays silent before listening.
 */
export async function startApp(
  env: Record<string, string>,
  options: StartAppOptions = {},
): Promise<AppProcess> {
  const inherited = { ...process.env };
  for (const name of APP_VARIABLES) delete inherited[name];
  const child = spawn(NODE, ['--import', 'tsx', options.entry ?? 'src/index.ts'], {
    cwd: ROOT,
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);

  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const logs = () => output;

  const timeoutMs = options.timeoutMs ?? 60_000;
  const url = await new Promise<string>((resolve, reject) => {
    let settled = false;
    let pending = '';
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`app did not start: ${reason}\n--- app output ---\n${output}`));
    };
    const timer = setTimeout(() => fail(`no "listening" log line after ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => fail(err.message));
    void exited.then(({ code, signal }) => fail(`exited with ${signal ?? `code ${code}`}`));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (settled) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const found = lines.map(listeningUrl).find((u) => u !== undefined);
      if (found) {
        settled = true;
        clearTimeout(timer);
        resolve(found.replace(/\/$/, ''));
      }
    });
  });

  return {
    url,
    pid: child.pid as number,
    logs,
    exited,
    kill: () => {
      child.kill('SIGKILL');
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), 10_000);
      });
      const result = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (result === 'late') {
        child.kill('SIGKILL');
        await exited;
        throw new Error(`app did not exit within 10 s of SIGTERM\n--- app output ---\n${output}`);
      }
    },
  };
}

/** The `url` of a pino line `{"msg":"listening","url":...}`, or undefined for any other line. */
function listeningUrl(line: string): string | undefined {
  if (!line.includes('listening')) return undefined;
  try {
    const record = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return record.msg === 'listening' && typeof record.url === 'string' ? record.url : undefined;
  } catch {
    return undefined;
  }
}
