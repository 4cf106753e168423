/**
 * @module backup/periodic-sweep: removes, at start-up and then every few minutes, the snapshots the app
 * created and could not remove (host down, crash): the ledger keeps trying until each one is gone.
 */
import type { AppDeps } from '../deps.js';
import { sweepSnapshots } from './snapshot-sweep.js';

/**
 * Starts the sweep: once now, then every `intervalSeconds`.
 * @returns a function that stops it.
 */
export function startSnapshotSweep(
  deps: Pick<AppDeps, 'db' | 'config' | 'credentials' | 'logger'>,
  intervalSeconds = 300,
): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const result = await sweepSnapshots(deps);
      if (result.removed || result.failed) deps.logger.info({ ...result }, 'snapshot ledger swept');
    } catch (err) {
      deps.logger.error({ err }, 'snapshot sweep failed');
    } finally {
      running = false;
    }
  };
  void sweep();
  const timer = setInterval(sweep, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
