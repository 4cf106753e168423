/** @module inventory/periodic-sync: re-reads every active server's inventory on a fixed interval. */

import { listActiveServerIds } from '../db/esxi-servers.js';
import type { AppDeps } from '../deps.js';
import { syncInventory } from './sync.js';

/**
 * Starts the periodic sync (first run one interval after start).
 * @param intervalSeconds 0 disables it.
 * @returns a function that stops it.
 */
export function startPeriodicSync(
  deps: Pick<AppDeps, 'db' | 'config' | 'credentials' | 'logger'>,
  intervalSeconds: number,
): () => void {
  if (intervalSeconds <= 0) return () => {};
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      for (const id of await listActiveServerIds(deps.db)) {
        // Failures are recorded on the server row by syncInventory; one host down must not stop the others.
        await syncInventory(deps, id).catch(() => {});
      }
    } catch (err) {
      deps.logger.error({ err }, 'periodic inventory sync failed');
    } finally {
      running = false;
    }
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
