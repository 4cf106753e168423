/**
 * @module workers/pool: lazily started Piscina pools for the app's worker modules (copies, hashing, dumps),
 * and the one call shape they share: a task, a MessagePort for progress, and abort through that port.
 * A worker is the .ts file under tsx/vitest (loaded with `--import tsx`) and the .js file once built.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';

/** How to stop each pool made here. */
const closers = new Set<() => Promise<void>>();

export interface WorkerPool {
  /**
   * Runs the worker's exported function `name` with `task` plus a `port` (MessagePort) on which the worker
   * posts progress (passed to `onMessage`) and receives `'abort'` when `signal` aborts.
   * @throws the signal's reason when aborted; whatever the worker function throws.
   */
  run<T, M = unknown>(
    name: string,
    task: Record<string, unknown>,
    signal: AbortSignal,
    onMessage?: (message: M) => void,
    transfer?: Array<ArrayBuffer | MessagePort>,
  ): Promise<T>;
  /** Starts the pool now with its `warmThreads` threads (app start-up), so that no task waits for one. */
  warm(): void;
}

/**
 * A pool for the worker module `<basename>.ts|.js` beside `callerUrl`, started on first use.
 * @param callerUrl the caller's `import.meta.url`.
 * @param options.maxThreads threads at most; options.idleSeconds before an idle thread stops;
 *   options.warmThreads threads started with the pool and kept for its life (default 0; see `warm`).
 */
export function workerPool(
  callerUrl: string,
  basename: string,
  options: { maxThreads: number; idleSeconds: number; warmThreads?: number },
): WorkerPool {
  let pool: Piscina | null = null;
  closers.add(async () => {
    const running = pool;
    pool = null;
    await running?.destroy();
  });
  const start = () => {
    const here = new URL(callerUrl);
    const ts = here.pathname.endsWith('.ts');
    const tsx = ts ? (import.meta.resolve?.('tsx') ?? 'tsx') : null;
    return new Piscina({
      filename: new URL(`./${basename}.${ts ? 'ts' : 'js'}`, here).href,
      minThreads: options.warmThreads ?? 0,
      maxThreads: options.maxThreads,
      idleTimeout: options.idleSeconds * 1000,
      execArgv: tsx ? ['--import', tsx] : [],
    });
  };
  return {
    warm() {
      pool ??= start();
    },
    async run(name, task, signal, onMessage = () => {}, transfer = []) {
      signal.throwIfAborted();
      pool ??= start();
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (message) => onMessage(message));
      const abort = () => port1.postMessage('abort');
      signal.addEventListener('abort', abort, { once: true });
      try {
        return await pool.run({ ...task, port: port2 }, { name, transferList: [port2, ...transfer] });
      } catch (err) {
        signal.throwIfAborted();
        throw err;
      } finally {
        signal.removeEventListener('abort', abort);
        port1.close();
      }
    },
  };
}

/** Stops every pool's threads (at shutdown, or before a CLI exits). Safe when none started. */
export async function closeWorkerPools(): Promise<void> {
  await Promise.all([...closers].map((close) => close()));
}
