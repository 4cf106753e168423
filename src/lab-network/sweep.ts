/**
 * @module lab-network/sweep: at start-up and then periodically, removes the lab networks no test VM uses any
 * more: a test failover's replica powered off again (by the admin, a replication cycle...) first gets its
 * adapters back on their original portgroups; users whose job is over and whose VM is gone or powered off are
 * released (a test failover's replica stays on its network until it is powered off again), networks nobody
 * holds are removed, and networks a dead
 * process left `creating` or `removing` for over two minutes are removed. The ledger keeps trying until each
 * one is gone; errors stay on the row (`last_error`).
 */
import { getServerRow } from '../db/esxi-servers.js';
import {
  claimStaleLabNetwork,
  type LabNetworkRow,
  lastLabNetworkUser,
  openLabNetworks,
  openLabNetworkUsers,
  setLabNetworkState,
} from '../db/lab-networks.js';
import { type LabNicMoveRow, openNicMoves } from '../db/lab-nic-moves.js';
import type { AppDeps } from '../deps.js';
import { messageOf } from '../errors.js';
import { msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import type { VSphereClient } from '../vsphere/index.js';
import { removeFromHost } from './host.js';
import { logToUser } from './journal.js';
import { restoreMovedNics } from './nics.js';
import { retireLabNetwork, settleLabNetworkUsers } from './release.js';

type Deps = Pick<AppDeps, 'db' | 'config' | 'credentials' | 'logger'>;

/** A `creating` or `removing` row untouched this long belongs to a dead process. */
const STALE_MS = 120_000;

async function sweepStale(
  deps: Deps,
  client: VSphereClient,
  server: { id: number; name: string },
  row: LabNetworkRow,
) {
  const claimed = await claimStaleLabNetwork(deps.db, row.id, new Date(Date.now() - STALE_MS));
  if (!claimed) return;
  const last = await lastLabNetworkUser(deps.db, row.id);
  const params = { portgroup: row.portgroup_name, vswitch: row.vswitch_name, server: server.name };
  try {
    await removeFromHost(client, claimed);
    await setLabNetworkState(deps.db, row.id, 'removed');
    if (last) await logToUser(deps, last, msg('lab.log.removed', params));
  } catch (err) {
    await setLabNetworkState(deps.db, row.id, 'ready', err);
    if (last)
      await logToUser(deps, last, msg('lab.log.remove_failed', { ...params, error: messageOf(err) }), false);
  }
}

/** One host's open networks. */
async function sweepServer(
  deps: Deps,
  client: VSphereClient,
  server: { id: number; name: string },
  rows: LabNetworkRow[],
) {
  for (const row of rows) {
    if (row.state === 'creating' || row.state === 'removing') {
      await sweepStale(deps, client, server, row);
      continue;
    }
    const users = await openLabNetworkUsers(deps.db, { networkId: row.id });
    const idle = users.filter((u) => !u.job_running);
    if (idle.length) await settleLabNetworkUsers(deps, client, server, idle);
    else if (users.length === 0)
      await retireLabNetwork(deps, client, server, row.id, await lastLabNetworkUser(deps.db, row.id));
  }
}

/**
 * One pass over every open lab network and every open adapter record whose job is over (one session per
 * host): adapters moved back first, then the networks. Never throws for a host failure.
 * @returns how many networks were open before and after the pass.
 */
export async function sweepLabNetworks(deps: Deps): Promise<{ before: number; after: number }> {
  const rows = await openLabNetworks(deps.db);
  const moves = (await openNicMoves(deps.db)).filter((m) => !m.job_running);
  const byServer = new Map<number, { rows: LabNetworkRow[]; moves: LabNicMoveRow[] }>();
  const of = (serverId: number) => {
    const entry = byServer.get(serverId) ?? { rows: [], moves: [] };
    byServer.set(serverId, entry);
    return entry;
  };
  for (const row of rows) of(row.esxi_server_id).rows.push(row);
  for (const move of moves) of(move.esxi_server_id).moves.push(move);
  for (const [serverId, group] of byServer) {
    let client: VSphereClient | null = null;
    try {
      const server = await getServerRow(deps.db, serverId);
      if (!server) continue;
      client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
      await restoreMovedNics(deps, client, server, group.moves);
      await sweepServer(deps, client, server, group.rows);
    } catch (err) {
      deps.logger.warn({ server: serverId, err }, 'lab network sweep: host failed');
    } finally {
      await client?.logout();
    }
  }
  const after = rows.length ? (await openLabNetworks(deps.db)).length : 0;
  if (rows.length !== after) deps.logger.info({ before: rows.length, after }, 'lab networks swept');
  return { before: rows.length, after };
}

/**
 * Starts the sweep: once now, then every `intervalSeconds` (0: only the start-up pass).
 * @returns a function that stops it.
 */
export function startLabNetworkSweep(deps: Deps, intervalSeconds: number): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      await sweepLabNetworks(deps);
    } catch (err) {
      deps.logger.error({ err }, 'lab network sweep failed');
    } finally {
      running = false;
    }
  };
  void sweep();
  if (intervalSeconds <= 0) return () => {};
  const timer = setInterval(sweep, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
