/**
 * @module lab-network/production: belt and braces for a real failover (manual or automatic). Before the replica
 * is powered on, any of its adapters left on a test network (a portgroup on a vSwitch of the lab ledger or named
 * `ebm-lab-…`, or the test failovers' portgroup) or on a portgroup the host no longer has is reconnected to the
 * portgroup recorded before a test moved it; with nothing recorded the failover's log gets a warning (the replica
 * would start cut off from the production network) and the failover goes on.
 */

import { labVswitchNames } from '../db/lab-networks.js';
import { closeNicMoves, latestNicMove, openNicMoves } from '../db/lab-nic-moves.js';
import type { AppDeps } from '../deps.js';
import { messageOf } from '../errors.js';
import { type Message, msg } from '../i18n/message.js';
import { readHostNetwork, type VSphereClient } from '../vsphere/index.js';
import { connectNicsToPortgroups, listPortgroups } from '../vsphere/network.js';
import type { MoRef } from '../vsphere/normalize.js';
import { listNics } from '../vsphere/vm-nics.js';
import { VSWITCH_PREFIX } from './host.js';
import { describeNics } from './nics.js';

/** Why a portgroup is no production network for a replica, as a message; null when it may be one. */
type Verdict = (network: string) => Message | null;

async function verdictOn(
  deps: Pick<AppDeps, 'db'>,
  client: VSphereClient,
  server: { id: number; name: string },
  testPortgroup: string,
): Promise<Verdict> {
  const [available, net, ledger] = await Promise.all([
    listPortgroups(client),
    readHostNetwork(client),
    labVswitchNames(deps.db, server.id),
  ]);
  return (network) => {
    if (!available.includes(network)) return msg('lab.failover.reason.missing', { server: server.name });
    const vswitch = net.portgroups.find((p) => p.name === network)?.vswitch;
    if (vswitch && (ledger.has(vswitch) || vswitch.startsWith(VSWITCH_PREFIX)))
      return msg('lab.failover.reason.lab', { vswitch });
    if (network === testPortgroup) return msg('lab.failover.reason.test_network');
    return null;
  };
}

/**
 * Reconnects the replica's adapters that a test left isolated (see the module doc), in one ReconfigVM_Task,
 * and closes the VM's open record. Works whether the replica is off or running. Never throws: what it cannot
 * check or reconnect is logged as a warning.
 * @param server the destination host. @param testPortgroup FAILOVER_TEST_NETWORK.
 * @param log writes one step of the failover's log (`ok` false for a warning).
 * @returns how many adapters were reconnected.
 */
export async function reconnectProductionNics(
  deps: Pick<AppDeps, 'db' | 'logger'>,
  client: VSphereClient,
  server: { id: number; name: string },
  vm: { ref: MoRef; name: string },
  testPortgroup: string,
  log: (message: Message, ok: boolean) => Promise<unknown>,
): Promise<number> {
  try {
    const nics = await listNics(client, vm.ref);
    if (nics.length === 0) return 0;
    const verdict = await verdictOn(deps, client, server, testPortgroup);
    const isolated = nics.flatMap((n) => {
      const reason = verdict(n.network);
      return reason ? [{ nic: n, reason }] : [];
    });
    if (isolated.length === 0) return 0;
    const record = await latestNicMove(deps.db, server.id, vm.ref.value);
    const back: Array<{ key: number; label: string; network: string }> = [];
    for (const { nic, reason } of isolated) {
      const original = record?.original_nics.find((o) => o.key === nic.key && o.network !== nic.network);
      const originalReason = original ? verdict(original.network) : null;
      if (original && !originalReason)
        back.push({ key: nic.key, label: nic.label, network: original.network });
      else if (original && originalReason?.key === 'lab.failover.reason.missing') {
        const params = { label: nic.label, vm: vm.name, network: original.network, server: server.name };
        await log(msg('lab.log.nic_original_missing', params), false);
      } else {
        const params = { label: nic.label, vm: vm.name, network: nic.network, reason };
        await log(msg('lab.failover.nic_unknown', params), false);
      }
    }
    if (back.length === 0) return 0;
    const count = await connectNicsToPortgroups(client, vm.ref, new Map(back.map((b) => [b.key, b.network])));
    const open = await openNicMoves(deps.db, { serverId: server.id, vmMoref: vm.ref.value });
    await closeNicMoves(
      deps.db,
      open.map((m) => m.id),
    );
    await log(msg('lab.log.nics_restored', { vm: vm.name, count, nics: describeNics(back) }), true);
    return count;
  } catch (err) {
    deps.logger.warn({ vm: vm.name, err }, 'replica adapters not checked before the failover');
    await log(msg('lab.failover.nics_failed', { vm: vm.name, error: messageOf(err) }), false);
    return 0;
  }
}
