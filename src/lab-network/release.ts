/**
 * @module lab-network/release: a test leaves its lab network once its VM no longer uses it (gone, powered off,
 * or its adapters elsewhere); a test failover's replica, once off, first gets its adapters back on their
 * original portgroups (src/lab-network/nics.ts); the last one out removes the portgroup and the vSwitch. Called
 * at the end of a verification's cleanup, after a test failover's rollback, by the interrupted-job cleanups and
 * by the sweep. A failed removal leaves the row `ready` with its error: the sweep tries again.
 */
import { getServerRow } from '../db/esxi-servers.js';
import {
  claimLabNetworkRemoval,
  getLabNetwork,
  type LabNetworkUserInput,
  type LabNetworkUserRow,
  openLabNetworkUsers,
  setLabNetworkState,
} from '../db/lab-networks.js';
import { type LabNicMoveRow, openNicMoves } from '../db/lab-nic-moves.js';
import type { AppDeps } from '../deps.js';
import { messageOf } from '../errors.js';
import { msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import type { VSphereClient } from '../vsphere/index.js';
import { removeFromHost, vmsUsingPortgroup } from './host.js';
import { logToUser } from './journal.js';
import { restoreMovedNics } from './nics.js';

type Deps = Pick<AppDeps, 'db' | 'logger'>;

/**
 * Releases the users `leaving` and, when no user holds the network any more, removes it (claimed `ready` ->
 * `removing` in the same locked transaction as the release, so only one process does it and of two users
 * leaving at once exactly one is the last) and logs it into `logUser`'s log; with users left, logs that it
 * is kept. Never throws for a host failure.
 * @param leaving ids of this network's users that leave now (already released ones are ignored).
 * @returns whether the network is gone.
 */
export async function retireLabNetwork(
  deps: Deps,
  client: VSphereClient,
  server: { id: number; name: string },
  networkId: number,
  logUser: Pick<LabNetworkUserInput, 'kind' | 'owner_id'> | null,
  leaving: number[] = [],
): Promise<boolean> {
  const { claimed, openUsers } = await claimLabNetworkRemoval(deps.db, networkId, leaving);
  const log = (m: Parameters<typeof logToUser>[2], ok = true) =>
    logUser ? logToUser(deps, logUser, m, ok) : Promise.resolve();
  if (!claimed) {
    if (openUsers > 0) {
      const row = await getLabNetwork(deps.db, networkId);
      await log(
        msg('lab.log.kept', { portgroup: row?.portgroup_name ?? '', server: server.name, count: openUsers }),
      );
    }
    return false;
  }
  const params = { portgroup: claimed.portgroup_name, vswitch: claimed.vswitch_name, server: server.name };
  try {
    const notes = await removeFromHost(client, claimed);
    await setLabNetworkState(deps.db, networkId, 'removed');
    for (const note of notes) await log(note);
    await log(msg('lab.log.removed', params));
    return true;
  } catch (err) {
    await setLabNetworkState(deps.db, networkId, 'ready', err);
    await log(msg('lab.log.remove_failed', { ...params, error: messageOf(err) }), false);
    deps.logger.warn({ lab_network: networkId, err }, 'lab network not removed');
    return false;
  }
}

/**
 * Releases the users whose VM no longer uses their network (one read of the host's VMs per network) and has no
 * adapter left to move back (an open `lab_nic_moves` record: {@link restoreMovedNics} runs first), then
 * retires each network they left. Never throws: a host failure is logged and left to the sweep.
 * @param users open users, all on networks of `server`.
 */
export async function settleLabNetworkUsers(
  deps: Deps,
  client: VSphereClient,
  server: { id: number; name: string },
  users: LabNetworkUserRow[],
): Promise<void> {
  const byNetwork = new Map<number, LabNetworkUserRow[]>();
  for (const u of users) byNetwork.set(u.lab_network_id, [...(byNetwork.get(u.lab_network_id) ?? []), u]);
  if (byNetwork.size === 0) return;
  let moving: Set<string>;
  try {
    moving = new Set((await openNicMoves(deps.db, { serverId: server.id })).map((m) => m.vm_name));
  } catch (err) {
    deps.logger.warn({ server: server.id, err }, 'lab network users not settled');
    return;
  }
  for (const [networkId, group] of byNetwork) {
    try {
      const row = await getLabNetwork(deps.db, networkId);
      if (!row || row.removed_at) continue;
      const using = await vmsUsingPortgroup(client, row.portgroup_name);
      const done = group.filter((u) => !using.has(u.vm_name) && !moving.has(u.vm_name));
      const last = done.at(-1);
      if (last)
        await retireLabNetwork(
          deps,
          client,
          server,
          networkId,
          last,
          done.map((u) => u.id),
        );
    } catch (err) {
      deps.logger.warn({ lab_network: networkId, err }, 'lab network users not settled');
    }
  }
}

/**
 * The end of a test: moves back the adapters job `jobId` moved (when its VM is off or gone, see
 * {@link restoreMovedNics}), then releases the networks it holds (see {@link settleLabNetworkUsers}). Never
 * throws.
 * @param client an open session on the job's host; without one, a session is opened per host.
 */
export async function releaseLabNetworks(
  deps: Pick<AppDeps, 'db' | 'logger' | 'credentials' | 'config'>,
  filter: { jobId: number },
  client?: VSphereClient,
): Promise<void> {
  const users = await openLabNetworkUsers(deps.db, { jobId: filter.jobId }).catch(() => []);
  const moves = await openNicMoves(deps.db, { jobId: filter.jobId }).catch(() => []);
  const byServer = new Map<number, { users: LabNetworkUserRow[]; moves: LabNicMoveRow[] }>();
  const of = (serverId: number) => {
    const entry = byServer.get(serverId) ?? { users: [], moves: [] };
    byServer.set(serverId, entry);
    return entry;
  };
  for (const m of moves) of(m.esxi_server_id).moves.push(m);
  for (const u of users) {
    const row = await getLabNetwork(deps.db, u.lab_network_id).catch(() => null);
    if (row) of(row.esxi_server_id).users.push(u);
  }
  for (const [serverId, group] of byServer) {
    const server = await getServerRow(deps.db, serverId).catch(() => null);
    if (!server) continue;
    let session = client ?? null;
    try {
      session ??= await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
      await restoreMovedNics(deps, session, server, group.moves);
      await settleLabNetworkUsers(deps, session, server, group.users);
    } catch (err) {
      deps.logger.warn({ server: serverId, err }, 'lab networks not released');
    } finally {
      if (session && session !== client) await session.logout();
    }
  }
}
