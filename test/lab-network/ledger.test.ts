/**
 * @module test/lab-network/ledger: the lab network ledger's queries (src/db/lab-networks.ts) on embedded PGlite
 * and on PostgreSQL: one open network per host and portgroup, joining and leaving (release and claim of the
 * removal together) under the row lock, of two users leaving at once exactly one the last, the reference count, and the stale claim of a dead process's row; the record of a test VM's adapters
 * moved onto a test network (src/db/lab-nic-moves.ts): one open per VM, a newer test closing the older one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import {
  claimLabNetworkRemoval,
  claimStaleLabNetwork,
  joinLabNetwork,
  openLabNetwork,
  openLabNetworkUsers,
  recordLabNetwork,
  releaseLabNetworkUsers,
  setLabNetworkState,
} from '../../src/db/lab-networks.js';
import {
  closeNicMoves,
  latestNicMove,
  openNicMoves,
  recordNicMove,
  setNicMoveError,
} from '../../src/db/lab-nic-moves.js';
import { migrate } from '../../src/db/migrate.js';
import { esxi_servers } from '../../src/db/schema.js';
import { createTestDatabase } from '../support/database.js';

const user = (owner: number) => ({
  kind: 'verification' as const,
  owner_id: owner,
  job_id: null,
  vm_name: `vm-${owner}`,
});

async function exercise(db: Db): Promise<void> {
  const [server] = await db
    .insert(esxi_servers)
    .values({ name: 'esx', hostname: '127.0.0.1', username: 'root', password_encrypted: 'x' })
    .returning();
  const id = server?.id as number;
  const network = { esxi_server_id: id, portgroup_name: 'Lab', vswitch_name: 'ebm-lab-000001' };
  const first = await recordLabNetwork(db, network, user(1));
  expect(first?.network).toMatchObject({ state: 'creating', removed_at: null });
  expect(await recordLabNetwork(db, { ...network, vswitch_name: 'ebm-lab-000002' }, user(2))).toBeNull();
  const netId = first?.network.id as number;
  const second = await joinLabNetwork(db, netId, user(2));
  expect(second.user).toMatchObject({ owner_id: 2, released_at: null });

  await setLabNetworkState(db, netId, 'ready');
  expect(await claimLabNetworkRemoval(db, netId)).toEqual({ claimed: null, openUsers: 2 });
  await releaseLabNetworkUsers(db, [first?.user.id as number]);
  expect(await claimLabNetworkRemoval(db, netId)).toEqual({ claimed: null, openUsers: 1 });
  await releaseLabNetworkUsers(db, [second.user?.id as number]);
  expect(await openLabNetworkUsers(db, { networkId: netId })).toEqual([]);
  const [a, b] = await Promise.all([claimLabNetworkRemoval(db, netId), claimLabNetworkRemoval(db, netId)]);
  expect([a.claimed, b.claimed].filter(Boolean)).toHaveLength(1);
  expect((await joinLabNetwork(db, netId, user(3))).user).toBeNull();

  // Two users leaving at once (release and claim together, under the row lock): exactly one is the last.
  const shared = await recordLabNetwork(db, { ...network, portgroup_name: 'Lab 2' }, user(5));
  const sharedId = shared?.network.id as number;
  const other = await joinLabNetwork(db, sharedId, user(6));
  await setLabNetworkState(db, sharedId, 'ready');
  const leaving = await Promise.all([
    claimLabNetworkRemoval(db, sharedId, [shared?.user.id as number]),
    claimLabNetworkRemoval(db, sharedId, [other.user?.id as number]),
  ]);
  expect(leaving.map((r) => r.openUsers).sort()).toEqual([0, 1]);
  expect(leaving.filter((r) => r.claimed?.state === 'removing')).toHaveLength(1);
  expect(await openLabNetworkUsers(db, { networkId: sharedId })).toEqual([]);

  expect(await claimStaleLabNetwork(db, netId, new Date(Date.now() - 60_000))).toBeNull();
  expect(await claimStaleLabNetwork(db, netId, new Date(Date.now() + 1000))).toMatchObject({
    state: 'removing',
  });
  await setLabNetworkState(db, netId, 'removed');
  expect(await openLabNetwork(db, id, 'Lab')).toBeNull();
  expect(await recordLabNetwork(db, network, user(4))).toMatchObject({ network: { state: 'creating' } });
}

async function exerciseNicMoves(db: Db): Promise<void> {
  const [server] = await db
    .insert(esxi_servers)
    .values({ name: 'esx-nics', hostname: '127.0.0.2', username: 'root', password_encrypted: 'x' })
    .returning();
  const id = server?.id as number;
  const nic = {
    key: 4000,
    label: 'Network adapter 1',
    mac_address: '00:50:56:00:00:01',
    network: 'VM Network',
  };
  const move = {
    esxi_server_id: id,
    kind: 'failover' as const,
    owner_id: 1,
    job_id: null,
    vm_name: 'vm_replica',
    vm_moref: '42',
    test_portgroup: 'VM Network Isolated',
    original_nics: [nic],
  };
  expect(await latestNicMove(db, id, '42')).toBeNull();
  const first = await recordNicMove(db, move);
  expect(first).toMatchObject({ closed_at: null, original_nics: [nic], last_error: null });
  const second = await recordNicMove(db, { ...move, owner_id: 2 });
  const open = await openNicMoves(db, { serverId: id });
  expect(open.map((m) => [m.id, m.job_running])).toEqual([[second.id, false]]);
  expect(await latestNicMove(db, id, '42')).toMatchObject({ id: second.id, owner_id: 2 });
  expect(await openNicMoves(db, { serverId: id, vmMoref: '43' })).toEqual([]);

  await setNicMoveError(db, second.id, new Error('host down'));
  expect((await openNicMoves(db, { vmMoref: '42' }))[0]?.last_error).toContain('"key":');
  await closeNicMoves(db, [second.id]);
  expect(await openNicMoves(db, { serverId: id })).toEqual([]);
  expect(await latestNicMove(db, id, '42')).toMatchObject({ id: second.id, last_error: null });
  expect((await latestNicMove(db, id, '42'))?.closed_at).not.toBeNull();
}

describe('the lab network ledger', () => {
  it('counts users and lets one claimer remove a network, on embedded PGlite', async () => {
    const database = await openDatabase({ dataDir: mkdtempSync(path.join(tmpdir(), 'ebm-lab-pglite-')) });
    try {
      await migrate(database);
      await exercise(database.db);
      await exerciseNicMoves(database.db);
    } finally {
      await database.close();
    }
  });

  it('does the same on PostgreSQL', async () => {
    const database = await createTestDatabase();
    try {
      await exercise(database.db);
      await exerciseNicMoves(database.db);
    } finally {
      await database.drop();
    }
  });
});
