/**
 * @module jobs/progress: throttles a job's progress reports into database writes: at most one write per
 * interval (250 ms: 4 a second), one at a time and in order, merging the reports made in between, and the
 * last report always lands (`flush`).
 */
import type { ProgressUpdate } from './types.js';

export interface ProgressReporter {
  /** Merges an update into the next write; never throws, never waits. */
  report(update: ProgressUpdate): void;
  /** Writes what is pending and waits for every write; later reports are ignored. */
  flush(): Promise<void>;
}

/** Clamps a report to what the row accepts: integer percent 0-100, non-negative integer bytes. */
export function normalizeProgress(update: ProgressUpdate): ProgressUpdate {
  const out: ProgressUpdate = {};
  const count = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0);
  if (update.progress !== undefined) out.progress = Math.min(100, count(update.progress));
  if (update.bytes_done !== undefined) out.bytes_done = count(update.bytes_done);
  if (update.bytes_total !== undefined) out.bytes_total = count(update.bytes_total);
  if (update.step !== undefined) out.step = update.step;
  return out;
}

/**
 * @param write stores one merged update (e.g. `recordProgress`); its failures go to `onError`.
 * @param intervalMs minimum milliseconds between the starts of two writes.
 */
export function createProgressReporter(
  write: (update: ProgressUpdate) => Promise<unknown>,
  intervalMs: number,
  onError: (err: unknown) => void,
): ProgressReporter {
  let pending: ProgressUpdate | null = null;
  let inFlight: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let lastWriteAt = 0;
  let closed = false;

  const writeNow = (): Promise<void> => {
    const update = pending;
    pending = null;
    if (!update) return Promise.resolve();
    lastWriteAt = Date.now();
    inFlight = write(update).then(
      () => undefined,
      (err) => onError(err),
    );
    return inFlight.then(() => {
      inFlight = null;
      schedule();
    });
  };

  const schedule = () => {
    if (closed || timer || inFlight || !pending) return;
    const wait = Math.max(0, lastWriteAt + intervalMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      void writeNow();
    }, wait);
  };

  return {
    report(update) {
      if (closed) return;
      pending = { ...pending, ...normalizeProgress(update) };
      schedule();
    },
    async flush() {
      closed = true;
      while (inFlight || pending) {
        clearTimeout(timer);
        timer = undefined;
        if (inFlight) await inFlight;
        else await writeNow();
      }
    },
  };
}
