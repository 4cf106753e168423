/**
 * @module replication/monitor: probes the source host of every active, unpaused replication (one login per
 * host) every FAILOVER_MONITOR_INTERVAL_SECONDS. The first failed probe records `source_unreachable_since`
 * (one blip is not enough); when the host is still unreachable after the threshold
 * (`auto_failover_threshold_minutes`, or AUTO_FAILOVER_THRESHOLD_SECONDS), an `automatic` replication gets
 * one automatic failover for that outage (recorded with its reason), a `manual` or `test` one goes to `error`
 * with the reason. A host that answers again clears the mark and the monitor's error.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (automatic mode, alerts)
 */
import { getServerRow } from '../db/esxi-servers.js';
import {
  clearSourceDown,
  getReplication,
  listReplications,
  markSourceDown,
  type ReplicationView,
  updateReplication,
} from '../db/replications.js';
import type { AppDeps } from '../deps.js';
import { msg, storeMessage } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import { triggerFailover } from './actions.js';

async function reachable(deps: AppDeps, serverId: number): Promise<boolean> {
  const server = await getServerRow(deps.db, serverId);
  if (!server) return false;
  try {
    const client = await connectToServer(
      server,
      deps.credentials,
      Math.min(deps.config.vsphereTimeoutSeconds, 10),
    );
    await client.logout();
    return true;
  } catch {
    return false;
  }
}

async function onDown(deps: AppDeps, r: ReplicationView): Promise<void> {
  await markSourceDown(deps.db, r.id);
  const fresh = await getReplication(deps.db, r.id);
  const since = fresh?.source_unreachable_since;
  if (!fresh || !since || fresh.status === 'paused') return;
  const threshold = deps.config.autoFailoverThresholdSeconds ?? fresh.auto_failover_threshold_minutes * 60;
  if (Date.now() - since.getTime() < threshold * 1000) return;
  const params = { server: fresh.source_server_name, since: since.toISOString() };
  if (fresh.failover_mode !== 'automatic') {
    if (fresh.status === 'syncing') return;
    const down = msg('replication.error.source_down_manual', params);
    await updateReplication(deps.db, fresh.id, {
      status: 'error',
      last_error: storeMessage(down, 'source_unreachable'),
    });
    return;
  }
  const reason = msg('failover.automatic_reason', params);
  const event = await triggerFailover(deps, fresh, {
    reason,
    type: 'automatic',
    userId: null,
    onceSince: since,
  });
  if (event)
    deps.logger.warn({ replication: fresh.id, event: event.id, since }, 'automatic failover triggered');
}

async function onUp(deps: AppDeps, r: ReplicationView): Promise<void> {
  if (r.source_unreachable_since) await clearSourceDown(deps.db, r.id);
}

/**
 * One pass over the replications (see the module doc). Errors of one replication are logged, never thrown.
 */
export async function monitorSources(deps: AppDeps): Promise<void> {
  const watched = (await listReplications(deps.db)).filter((r) => r.is_active && r.status !== 'paused');
  const probes = new Map<number, Promise<boolean>>();
  for (const r of watched) {
    if (!probes.has(r.source_server_id)) probes.set(r.source_server_id, reachable(deps, r.source_server_id));
  }
  for (const r of watched) {
    try {
      if (await probes.get(r.source_server_id)) await onUp(deps, r);
      else await onDown(deps, r);
    } catch (err) {
      deps.logger.warn({ err, replication: r.id }, 'failover monitor: replication not handled');
    }
  }
}

/**
 * Starts the monitor. @param intervalSeconds seconds between passes (fractions allowed); 0 turns it off.
 * @returns a function that stops it.
 */
export function startFailoverMonitor(deps: AppDeps, intervalSeconds: number): () => void {
  if (intervalSeconds <= 0) return () => {};
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    monitorSources(deps)
      .catch((err) => deps.logger.error({ err }, 'failover monitor failed'))
      .finally(() => {
        busy = false;
      });
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
