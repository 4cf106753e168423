/**
 * @module lab-network/acquire: gives a test VM (a test failover's replica, a verification VM) its isolated
 * portgroup, as Veeam's virtual lab does. The portgroup of the configured name:
 * - is a lab network the app made on this host (ledger row open): the test joins it (reference count);
 * - exists and was not made by the app: it is used as it is, never changed; when its vSwitch reaches the
 *   physical network (HostVirtualSwitch.pnic / spec.bridge) the test is refused for the default name
 *   (`VM Network Isolated`, nobody chose it), and allowed with a warning in the log for a name the admin chose;
 * - does not exist: a ledger row is written, then a standard vSwitch `ebm-lab-<6 hex>` with no uplink and
 *   the portgroup on it are created.
 * @see vSphere API "HostNetworkSystem.AddVirtualSwitch", "HostVirtualSwitchSpec", "HostNetworkInfo".
 */
import { randomBytes } from 'node:crypto';
import {
  joinLabNetwork,
  type LabNetworkRow,
  type LabNetworkUserInput,
  openLabNetwork,
  recordLabNetwork,
  releaseLabNetworkUsers,
  setLabNetworkState,
} from '../db/lab-networks.js';
import type { AppDeps } from '../deps.js';
import { AppError, ConflictError, codeOf, messageOf } from '../errors.js';
import { msg } from '../i18n/message.js';
import { listPortgroups, readHostNetwork, type VSphereClient } from '../vsphere/index.js';
import { ensureOnHost, VSWITCH_PREFIX } from './host.js';
import { logToUser } from './journal.js';
import { retireLabNetwork } from './release.js';

/** The test network nobody chose (FAILOVER_TEST_NETWORK's and a verification's default). */
export const DEFAULT_TEST_NETWORK = 'VM Network Isolated';

/** How long a test waits for a network another job is creating or removing. */
const WAIT_MS = 60_000;
const POLL_MS = 500;

type Deps = Pick<AppDeps, 'db' | 'logger'>;

/** The test VM that needs the network, and where its log goes. */
export interface LabNetworkUser {
  kind: 'failover' | 'verification';
  /** The failover event or verification id (its log). */
  ownerId: number;
  jobId: number | null;
  vmName: string;
}

/** What the test got. */
export interface AcquiredNetwork {
  portgroup: string;
  /** This test created the switch and portgroup. */
  created: boolean;
  /** The ledger row when the network is the app's (created now or shared), null for an admin's portgroup. */
  labNetworkId: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Uses a portgroup the app did not make, by the uplink rule. @returns false when the host has none of that name. */
async function useExisting(
  deps: Deps,
  client: VSphereClient,
  server: string,
  portgroup: string,
  user: LabNetworkUserInput,
): Promise<boolean> {
  const net = await readHostNetwork(client);
  const pg = net.portgroups.find((p) => p.name === portgroup);
  if (!pg) {
    if (!(await listPortgroups(client)).includes(portgroup)) return false;
    await logToUser(deps, user, msg('lab.log.existing_other', { portgroup }));
    return true;
  }
  const sw = net.vswitches.find((v) => v.name === pg.vswitch);
  const uplinks = sw ? [...sw.uplinks] : [];
  if (sw?.bridged && uplinks.length === 0) uplinks.push('bridge');
  const params = { portgroup, vswitch: pg.vswitch, server, uplinks: uplinks.join(', ') };
  if (uplinks.length === 0) await logToUser(deps, user, msg('lab.log.existing', params));
  else if (portgroup !== DEFAULT_TEST_NETWORK)
    await logToUser(deps, user, msg('lab.log.existing_uplinks', params), false);
  else throw new ConflictError('lab_network_not_isolated', msg('lab.error.default_uplinks', params));
  return true;
}

/** Waits until a joined network is `ready`. @returns it, or null when it went away meanwhile. */
async function whenReady(deps: Deps, row: LabNetworkRow, deadline: number): Promise<LabNetworkRow | null> {
  let current: LabNetworkRow | null = row;
  while (current?.state === 'creating' && Date.now() < deadline) {
    await sleep(POLL_MS);
    current = await openLabNetwork(deps.db, row.esxi_server_id, row.portgroup_name);
    if (current && current.id !== row.id) return null;
  }
  return current?.state === 'ready' ? current : null;
}

const createFailed = (portgroup: string, server: string, err: unknown) =>
  new AppError(
    502,
    codeOf(err) === 'internal' ? 'lab_network_failed' : codeOf(err),
    msg('lab.error.create_failed', { portgroup, server, error: messageOf(err) }),
    undefined,
    undefined,
    { cause: err },
  );

/**
 * Gives `user` the portgroup `portgroup` on the host of `client` (see the module doc). Call it before the test
 * VM's adapters are connected; release with {@link releaseLabNetworks} once the VM is off or gone.
 * @param server the host's id and name (for the ledger and the log).
 * @throws ConflictError `lab_network_not_isolated` (default name on a switch with uplinks), `lab_network_busy`
 *   (another job kept it creating or removing for a minute); AppError `lab_network_failed` (or the host's code)
 *   when it could not be created.
 */
export async function acquireLabNetwork(
  deps: Deps,
  client: VSphereClient,
  server: { id: number; name: string },
  portgroup: string,
  user: LabNetworkUser,
): Promise<AcquiredNetwork> {
  const input: LabNetworkUserInput = {
    kind: user.kind,
    owner_id: user.ownerId,
    job_id: user.jobId,
    vm_name: user.vmName,
  };
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const open = await openLabNetwork(deps.db, server.id, portgroup);
    if (open) {
      const joined = await joinLabNetwork(deps.db, open.id, input);
      const ready = joined.user && joined.network ? await whenReady(deps, joined.network, deadline) : null;
      if (ready && joined.user) {
        try {
          await ensureOnHost(client, ready, server.name, false);
        } catch (err) {
          await releaseLabNetworkUsers(deps.db, [joined.user.id]);
          throw createFailed(portgroup, server.name, err);
        }
        await logToUser(
          deps,
          input,
          msg('lab.log.shared', { portgroup, vswitch: ready.vswitch_name, server: server.name }),
        );
        return { portgroup, created: false, labNetworkId: ready.id };
      }
      if (joined.user) await releaseLabNetworkUsers(deps.db, [joined.user.id]);
      if (Date.now() >= deadline)
        throw new ConflictError(
          'lab_network_busy',
          msg('lab.error.busy', { portgroup, server: server.name }),
        );
      await sleep(POLL_MS);
      continue;
    }
    if (await useExisting(deps, client, server.name, portgroup, input)) {
      return { portgroup, created: false, labNetworkId: null };
    }
    const vswitch = `${VSWITCH_PREFIX}${randomBytes(3).toString('hex')}`;
    const recorded = await recordLabNetwork(
      deps.db,
      { esxi_server_id: server.id, portgroup_name: portgroup, vswitch_name: vswitch },
      input,
    );
    if (!recorded) continue;
    try {
      await ensureOnHost(client, recorded.network, server.name, true);
    } catch (err) {
      await releaseLabNetworkUsers(deps.db, [recorded.user.id]);
      if (codeOf(err) === 'lab_vswitch_taken')
        await setLabNetworkState(deps.db, recorded.network.id, 'removed', err);
      else {
        // What was made stays in the ledger, `ready` with no user: removed now, or by the sweep.
        await setLabNetworkState(deps.db, recorded.network.id, 'ready', err);
        await retireLabNetwork(deps, client, server, recorded.network.id, input);
      }
      throw createFailed(portgroup, server.name, err);
    }
    await setLabNetworkState(deps.db, recorded.network.id, 'ready');
    await logToUser(deps, input, msg('lab.log.created', { portgroup, vswitch, server: server.name }));
    return { portgroup, created: true, labNetworkId: recorded.network.id };
  }
}
