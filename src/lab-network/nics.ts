/**
 * @module lab-network/nics: a test VM's network adapters onto the test network and back home. Before a test
 * failover moves the replica's adapters onto the test portgroup, each adapter's original portgroup (device key,
 * label, MAC) is recorded (`lab_nic_moves`); once the test is over and the replica is powered off (rollback,
 * interrupted-job cleanup, sweep), the adapters still on the test portgroup are reconnected to their own
 * portgroup, BEFORE the lab network is released and removed. A running VM is never touched here.
 * @see vSphere API "VirtualMachine.ReconfigVM_Task", "VirtualEthernetCardNetworkBackingInfo".
 */
import {
  closeNicMoves,
  type LabNicMoveRow,
  latestNicMove,
  recordNicMove,
  setNicMoveError,
} from '../db/lab-nic-moves.js';
import type { LabMovedNic } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { ConflictError, messageOf } from '../errors.js';
import { msg } from '../i18n/message.js';
import { asString, retrieveOne, toVSphereError, type VSphereClient, vmRef } from '../vsphere/index.js';
import { connectNicsToPortgroup, connectNicsToPortgroups, listPortgroups } from '../vsphere/network.js';
import type { MoRef } from '../vsphere/normalize.js';
import { listNics, type VmNic } from '../vsphere/vm-nics.js';
import type { LabNetworkUser } from './acquire.js';
import { logToUser } from './journal.js';

type Deps = Pick<AppDeps, 'db' | 'logger'>;

/** `Network adapter 1 → VM Network, Network adapter 2 → Backup` for the logs. */
export const describeNics = (nics: Array<{ label: string; network: string }>): string =>
  nics.map((n) => `${n.label} → ${n.network}`).join(', ');

/**
 * Where an adapter was before any test: its portgroup, unless it is on a test portgroup already (an earlier
 * test's replica not yet moved back), then what the VM's last record says.
 */
function originalOf(nic: VmNic, testPortgroup: string, previous: LabNicMoveRow | null): LabMovedNic {
  const tests = new Set([testPortgroup, previous?.test_portgroup]);
  const recorded = previous?.original_nics.find((o) => o.key === nic.key && !tests.has(o.network));
  const network = tests.has(nic.network) && recorded ? recorded.network : nic.network;
  return { key: nic.key, label: nic.label, mac_address: nic.macAddress, network };
}

/**
 * Records each adapter's original portgroup of the VM, then connects them all to the test portgroup (one
 * ReconfigVM_Task). Call it after {@link acquireLabNetwork}, while the VM is off.
 * @param server the VM's host (id and name). @param user the test (its log gets the recorded networks).
 * @returns how many adapters were moved.
 * @throws VSphereError from the host (the record stays open: moving back finds the adapters where they are).
 */
export async function moveNicsToTestNetwork(
  deps: Deps,
  client: VSphereClient,
  server: { id: number; name: string },
  vm: { ref: MoRef; name: string },
  portgroup: string,
  user: LabNetworkUser,
): Promise<number> {
  const nics = await listNics(client, vm.ref);
  if (nics.length === 0) return 0;
  const previous = await latestNicMove(deps.db, server.id, vm.ref.value);
  const original = nics.map((n) => originalOf(n, portgroup, previous));
  const owner = { kind: user.kind, owner_id: user.ownerId };
  await recordNicMove(deps.db, {
    esxi_server_id: server.id,
    ...owner,
    job_id: user.jobId,
    vm_name: vm.name,
    vm_moref: vm.ref.value,
    test_portgroup: portgroup,
    original_nics: original,
  });
  await logToUser(deps, owner, msg('lab.log.nics_recorded', { vm: vm.name, nics: describeNics(original) }));
  return connectNicsToPortgroup(client, vm.ref, portgroup);
}

/**
 * Refuses a test on a VM that already runs with an adapter off the test portgroup (e.g. a replica put in
 * service by a real failover): moving its adapters would cut a running VM off its network. A VM running a
 * previous test (every adapter on the test portgroup) may be tested again.
 * @throws ConflictError `replica_running`; VSphereError from the host.
 */
export async function refuseRunningElsewhere(
  client: VSphereClient,
  vm: { ref: MoRef; name: string },
  portgroup: string,
): Promise<void> {
  const state = await readVm(client, vm.ref.value);
  if (!state || state.power === 'poweredOff') return;
  const elsewhere = state.nics.filter((n) => n.network !== portgroup);
  if (elsewhere.length === 0) return;
  throw new ConflictError(
    'replica_running',
    msg('lab.error.replica_running', { name: vm.name, nics: describeNics(elsewhere) }),
  );
}

/** The VM's power state and adapters, or null when the host has no such VM any more. */
async function readVm(
  client: VSphereClient,
  moref: string,
): Promise<{ power: string; nics: VmNic[] } | null> {
  const ref = vmRef(moref);
  try {
    const power = asString((await retrieveOne(client, ref, ['runtime.powerState']))['runtime.powerState']);
    return { power, nics: await listNics(client, ref) };
  } catch (err) {
    if (toVSphereError(err).code === 'ManagedObjectNotFound') return null;
    throw toVSphereError(err);
  }
}

/** One record: see {@link restoreMovedNics}. */
async function restoreOne(
  deps: Deps,
  client: VSphereClient,
  server: { id: number; name: string },
  move: LabNicMoveRow,
): Promise<void> {
  const vm = move.vm_name;
  try {
    const state = await readVm(client, move.vm_moref);
    if (!state) {
      await closeNicMoves(deps.db, [move.id]);
      await logToUser(deps, move, msg('lab.log.nics_vm_gone', { vm, server: server.name }));
      return;
    }
    const current = new Map(state.nics.map((n) => [n.key, n]));
    const stillOnTest = move.original_nics.filter((o) => current.get(o.key)?.network === move.test_portgroup);
    if (stillOnTest.length === 0) {
      await closeNicMoves(deps.db, [move.id]);
      return;
    }
    if (state.power !== 'poweredOff') return;
    const known = stillOnTest.filter((o) => o.network !== move.test_portgroup);
    const available = new Set(await listPortgroups(client));
    for (const o of known.filter((n) => !available.has(n.network))) {
      const params = { label: o.label, vm, network: o.network, server: server.name };
      await logToUser(deps, move, msg('lab.log.nic_original_missing', params), false);
    }
    const back = known.filter((o) => available.has(o.network));
    const targets = new Map(back.map((o) => [o.key, o.network]));
    const count = await connectNicsToPortgroups(client, vmRef(move.vm_moref), targets);
    if (count > 0)
      await logToUser(deps, move, msg('lab.log.nics_restored', { vm, count, nics: describeNics(back) }));
    await closeNicMoves(deps.db, [move.id]);
  } catch (err) {
    if (!move.last_error)
      await logToUser(deps, move, msg('lab.log.nics_restore_failed', { vm, error: messageOf(err) }), false);
    await setNicMoveError(deps.db, move.id, err).catch(() => {});
    deps.logger.warn({ lab_nic_move: move.id, err }, 'test VM adapters not moved back');
  }
}

/**
 * Moves the adapters of ended tests back: for each open record of `server` whose VM is powered off, the
 * adapters still on the test portgroup are reconnected to their recorded portgroup (one ReconfigVM_Task) and
 * the record is closed; a VM that is gone, or whose adapters are all elsewhere already, closes its record; a
 * running VM is left as it is. A failure keeps the record open with its error (the sweep retries) and the
 * test's log says so once. Never throws.
 * @param moves open records, all of `server`.
 */
export async function restoreMovedNics(
  deps: Deps,
  client: VSphereClient,
  server: { id: number; name: string },
  moves: LabNicMoveRow[],
): Promise<void> {
  for (const move of moves) await restoreOne(deps, client, server, move);
}
