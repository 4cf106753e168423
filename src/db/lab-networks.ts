/**
 * @module db/lab-networks: the virtual lab network ledger (`lab_networks`, `lab_network_users`). A network row
 * is written before its vSwitch and portgroup exist; joining one and leaving it (release and claim of the
 * removal, together) both lock the row (`FOR UPDATE`), so that a test joining a network and the last test
 * leaving it never cross: the one removing it has seen no open user, the one joining sees `removing` and
 * waits; of two tests leaving at once, exactly one is the last.
 */
import { and, desc, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { codeOf, messageOf } from '../errors.js';
import { storeMessage } from '../i18n/message.js';
import type { Db } from './client.js';
import {
  jobs,
  type LabNetworkState,
  type LabNetworkUserKind,
  lab_network_users,
  lab_networks,
} from './schema.js';

export type LabNetworkRow = typeof lab_networks.$inferSelect;
export type LabNetworkUserRow = typeof lab_network_users.$inferSelect;

/** Who uses a lab network: the failover event or verification (its log), its job and its test VM. */
export interface LabNetworkUserInput {
  kind: LabNetworkUserKind;
  owner_id: number;
  job_id: number | null;
  vm_name: string;
}

const openUsers = (networkId: number) =>
  and(eq(lab_network_users.lab_network_id, networkId), isNull(lab_network_users.released_at));

/** The open (not removed) network of a host for a portgroup name, or null. */
export async function openLabNetwork(
  db: Db,
  serverId: number,
  portgroup: string,
): Promise<LabNetworkRow | null> {
  const [row] = await db
    .select()
    .from(lab_networks)
    .where(
      and(
        eq(lab_networks.esxi_server_id, serverId),
        eq(lab_networks.portgroup_name, portgroup),
        isNull(lab_networks.removed_at),
      ),
    );
  return row ?? null;
}

/**
 * Records a network about to be created (`creating`) and its first user, in one transaction.
 * @returns both rows, or null when the host already has an open network of that portgroup name (a concurrent
 *   job recorded it first: join that one).
 */
export async function recordLabNetwork(
  db: Db,
  network: { esxi_server_id: number; portgroup_name: string; vswitch_name: string },
  user: LabNetworkUserInput,
): Promise<{ network: LabNetworkRow; user: LabNetworkUserRow } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(lab_networks).values(network).onConflictDoNothing().returning();
    if (!row) return null;
    const [used] = await tx
      .insert(lab_network_users)
      .values({ ...user, lab_network_id: row.id })
      .returning();
    return { network: row, user: used as LabNetworkUserRow };
  });
}

/**
 * Adds a user to a network that is `creating` or `ready` (row locked).
 * @returns the network and the new user, or the network alone (no user) when it is `removing` or removed.
 */
export async function joinLabNetwork(
  db: Db,
  networkId: number,
  user: LabNetworkUserInput,
): Promise<{ network: LabNetworkRow | null; user: LabNetworkUserRow | null }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(lab_networks).where(eq(lab_networks.id, networkId)).for('update');
    if (!row || (row.state !== 'creating' && row.state !== 'ready'))
      return { network: row ?? null, user: null };
    const [used] = await tx
      .insert(lab_network_users)
      .values({ ...user, lab_network_id: row.id })
      .returning();
    return { network: row, user: used ?? null };
  });
}

/** One network by id, or null. */
export async function getLabNetwork(db: Db, id: number): Promise<LabNetworkRow | null> {
  const [row] = await db.select().from(lab_networks).where(eq(lab_networks.id, id));
  return row ?? null;
}

/**
 * Moves a network to `state` (`removed` also stamps `removed_at`).
 * @param error why a creation or removal failed (kept as a stored message with its code); clears it when absent.
 */
export async function setLabNetworkState(
  db: Db,
  id: number,
  state: LabNetworkState,
  error?: unknown,
): Promise<void> {
  await db
    .update(lab_networks)
    .set({
      state,
      state_changed_at: new Date(),
      last_error: error === undefined ? null : storeMessage(messageOf(error), codeOf(error)),
      ...(state === 'removed' ? { removed_at: new Date() } : {}),
    })
    .where(eq(lab_networks.id, id));
}

/** Marks users as gone (idempotent). */
export async function releaseLabNetworkUsers(db: Db, userIds: number[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .update(lab_network_users)
    .set({ released_at: new Date() })
    .where(and(inArray(lab_network_users.id, userIds), isNull(lab_network_users.released_at)));
}

/**
 * Releases the users `leaving` (of this network; idempotent) and claims the removal of the network when it is
 * `ready` and no user is left (`ready` -> `removing`), in one transaction holding the row lock. Releasing
 * under the lock makes "the last one out" well defined: of two tests leaving at once, one sees the other
 * still on the network (and says it is kept) and the other claims it, instead of both releasing first and
 * then both finding it empty (one of them then saying nothing at all).
 * @returns the claimed row, or the number of users still on it (0 with no row when another process claimed it,
 *   or the network is not `ready`).
 */
export async function claimLabNetworkRemoval(
  db: Db,
  id: number,
  leaving: number[] = [],
): Promise<{ claimed: LabNetworkRow | null; openUsers: number }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(lab_networks).where(eq(lab_networks.id, id)).for('update');
    if (leaving.length > 0) {
      await tx
        .update(lab_network_users)
        .set({ released_at: new Date() })
        .where(and(inArray(lab_network_users.id, leaving), openUsers(id)));
    }
    if (row?.state !== 'ready') return { claimed: null, openUsers: 0 };
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(lab_network_users)
      .where(openUsers(id));
    if (n > 0) return { claimed: null, openUsers: n };
    const [claimed] = await tx
      .update(lab_networks)
      .set({ state: 'removing', state_changed_at: new Date() })
      .where(eq(lab_networks.id, id))
      .returning();
    return { claimed: claimed ?? null, openUsers: 0 };
  });
}

/**
 * Claims a network a dead process left `creating` or `removing` since before `staleBefore` (conditional
 * UPDATE: one claimer wins). @returns the claimed row (now `removing`, freshly stamped), or null.
 */
export async function claimStaleLabNetwork(
  db: Db,
  id: number,
  staleBefore: Date,
): Promise<LabNetworkRow | null> {
  const [row] = await db
    .update(lab_networks)
    .set({ state: 'removing', state_changed_at: new Date() })
    .where(
      and(
        eq(lab_networks.id, id),
        inArray(lab_networks.state, ['creating', 'removing']),
        lt(lab_networks.state_changed_at, staleBefore),
      ),
    )
    .returning();
  return row ?? null;
}

/** Every open (not removed) network, oldest first. */
export async function openLabNetworks(db: Db): Promise<LabNetworkRow[]> {
  return db.select().from(lab_networks).where(isNull(lab_networks.removed_at)).orderBy(lab_networks.id);
}

/**
 * Open users, with whether their job still runs (`IN_PROGRESS`).
 * @param filter.jobId only that job's; filter.networkId only that network's.
 */
export async function openLabNetworkUsers(
  db: Db,
  filter: { jobId?: number; networkId?: number } = {},
): Promise<Array<LabNetworkUserRow & { job_running: boolean }>> {
  const rows = await db
    .select({ user: lab_network_users, status: jobs.status })
    .from(lab_network_users)
    .leftJoin(jobs, eq(jobs.id, lab_network_users.job_id))
    .where(
      and(
        isNull(lab_network_users.released_at),
        filter.jobId === undefined ? undefined : eq(lab_network_users.job_id, filter.jobId),
        filter.networkId === undefined ? undefined : eq(lab_network_users.lab_network_id, filter.networkId),
      ),
    )
    .orderBy(lab_network_users.id);
  return rows.map((r) => ({ ...r.user, job_running: r.status === 'IN_PROGRESS' }));
}

/** The user that left a network last (whose log tells of its removal), or null. */
export async function lastLabNetworkUser(db: Db, networkId: number): Promise<LabNetworkUserRow | null> {
  const [row] = await db
    .select()
    .from(lab_network_users)
    .where(and(eq(lab_network_users.lab_network_id, networkId), isNotNull(lab_network_users.released_at)))
    .orderBy(desc(lab_network_users.released_at), desc(lab_network_users.id))
    .limit(1);
  return row ?? null;
}

/** Names of every vSwitch the ledger holds for a host, open or removed (a test network's switch). */
export async function labVswitchNames(db: Db, serverId: number): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ name: lab_networks.vswitch_name })
    .from(lab_networks)
    .where(eq(lab_networks.esxi_server_id, serverId));
  return new Set(rows.map((r) => r.name));
}
