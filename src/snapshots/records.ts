/**
 * @module snapshots/records: keeping a schedule's record of its snapshots true to the host. A confirmed record
 * whose snapshot is no longer in the tree (deleted by hand) is dropped quietly; an unconfirmed one (asked, the
 * task's result never read: a crash) is matched by name and creation time with a snapshot no record names, or
 * dropped once its job is over without such a snapshot.
 */
import { getJob } from '../db/jobs.js';
import {
  confirmSnapshot,
  dropRecords,
  recordsOfVm,
  type SnapshotRecord,
  scheduleRecords,
} from '../db/snapshot-records.js';
import type { AppDeps } from '../deps.js';
import type { SnapshotNode } from '../vsphere/index.js';

type Deps = Pick<AppDeps, 'db'>;

/** How long before its record a snapshot may have been created and still match it (host clock skew). */
const SKEW_MS = 60_000;

/** Drops the confirmed records of VM `vmId` whose snapshot is not in `tree`. @returns how many. */
export async function dropVanished(deps: Deps, vmId: number, tree: SnapshotNode[]): Promise<number> {
  const present = new Set(tree.map((s) => s.moref));
  const gone = (await recordsOfVm(deps.db, vmId)).filter((r) => !present.has(r.snapshot_moref ?? ''));
  await dropRecords(
    deps.db,
    gone.map((r) => r.id),
  );
  return gone.length;
}

/**
 * The snapshot of `tree` an unconfirmed record asked for: same name, created at or after the record (give or
 * take {@link SKEW_MS}), named by no other record.
 */
export function matchAsked(
  record: SnapshotRecord,
  tree: SnapshotNode[],
  taken: Set<string>,
): SnapshotNode | null {
  const since = record.created_at.getTime() - SKEW_MS;
  return (
    tree.find(
      (s) =>
        s.name === record.snapshot_name && !taken.has(s.moref) && new Date(s.created_at).getTime() >= since,
    ) ?? null
  );
}

/**
 * Settles unconfirmed records: matched ones are confirmed, the others dropped when their job is over.
 * @param records the records to settle (a schedule's, or an interrupted job's).
 * @param taskRunning for a record whose job is over, whether the host task it started may still finish.
 */
export async function settleAsked(
  deps: Deps,
  records: SnapshotRecord[],
  tree: SnapshotNode[],
  taskRunning: (r: SnapshotRecord) => Promise<boolean> = async () => false,
): Promise<void> {
  const taken = new Set(records.flatMap((r) => (r.snapshot_moref ? [r.snapshot_moref] : [])));
  for (const r of records) {
    if (r.snapshot_moref) continue;
    const found = matchAsked(r, tree, taken);
    if (found) {
      taken.add(found.moref);
      await confirmSnapshot(deps.db, r.id, found.moref);
      continue;
    }
    const job = r.job_id === null ? null : await getJob(deps.db, r.job_id);
    const over = !job || job.status === 'COMPLETED' || job.status === 'FAILED' || job.status === 'CANCELLED';
    if (over && !(await taskRunning(r))) await dropRecords(deps.db, [r.id]);
  }
}

/** A schedule's records confirmed and present in `tree`, newest snapshot first. */
export async function ownSnapshots(deps: Deps, scheduleId: number, tree: SnapshotNode[]) {
  const byRef = new Map(tree.map((s) => [s.moref, s]));
  return (await scheduleRecords(deps.db, scheduleId))
    .flatMap((r) => {
      const node = r.snapshot_moref ? byRef.get(r.snapshot_moref) : undefined;
      return node ? [{ record: r, node }] : [];
    })
    .sort((a, b) => b.node.created_at.localeCompare(a.node.created_at) || b.record.id - a.record.id);
}
