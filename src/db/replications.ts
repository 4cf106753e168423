/**
 * @module db/replications: VMReplication rows with their VM and server names, the latest run (job) of each,
 * the cycle bookkeeping (syncing, result, error, the folder a run wrote), the monitor's marks of an unreachable
 * source host, and the scheduler's claim of due replications.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (VMReplication)
 */
import { and, desc, eq, inArray, isNotNull, isNull, lte, ne, notInArray, sql } from 'drizzle-orm';
import { alias, type PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { JobRow } from '../jobs/types.js';
import type { Db } from './client.js';
import { insertJob } from './jobs.js';
import { esxi_servers, jobs, virtual_machines, vm_replications } from './schema.js';

export type ReplicationRow = typeof vm_replications.$inferSelect;
export type ReplicationInsert = typeof vm_replications.$inferInsert;
export type ReplicationView = ReplicationRow & {
  vm_name: string;
  source_server_name: string;
  destination_server_name: string;
};

const source = alias(esxi_servers, 'source_server');
const destination = alias(esxi_servers, 'destination_server');

function selectViews(db: Db) {
  return db
    .select({
      row: vm_replications,
      vm_name: virtual_machines.name,
      source_server_name: source.name,
      destination_server_name: destination.name,
    })
    .from(vm_replications)
    .innerJoin(virtual_machines, eq(virtual_machines.id, vm_replications.virtual_machine_id))
    .innerJoin(source, eq(source.id, vm_replications.source_server_id))
    .innerJoin(destination, eq(destination.id, vm_replications.destination_server_id));
}

type Joined = Awaited<ReturnType<ReturnType<typeof selectViews>['execute']>>[number];
const toView = ({ row, ...names }: Joined): ReplicationView => ({ ...row, ...names });

/** Every replication with its names, oldest first. */
export async function listReplications(db: Db): Promise<ReplicationView[]> {
  return (await selectViews(db).orderBy(vm_replications.id)).map(toView);
}

/** One replication with its names, or null. */
export async function getReplication(db: Db, id: number): Promise<ReplicationView | null> {
  const [row] = await selectViews(db).where(eq(vm_replications.id, id));
  return row ? toView(row) : null;
}

/** Inserts a replication. @throws the driver's unique violation (code 23505) for a taken (VM, destination). */
export async function insertReplication(db: Db, values: ReplicationInsert): Promise<ReplicationRow> {
  const [row] = await db.insert(vm_replications).values(values).returning();
  return row as ReplicationRow;
}

/** Updates columns of a replication (always bumps `updated_at`). @returns the row, or null when gone. */
export async function updateReplication(
  db: Db,
  id: number,
  values: PgUpdateSetSource<typeof vm_replications>,
): Promise<ReplicationRow | null> {
  const [row] = await db
    .update(vm_replications)
    .set({ ...values, updated_at: sql`now()` })
    .where(eq(vm_replications.id, id))
    .returning();
  return row ?? null;
}

/** A run's outcome status that leaves `paused` alone: a pause during the run wins over the outcome. */
const settled = (status: 'active' | 'error') =>
  sql`case when ${vm_replications.status} = 'paused' then 'paused' else ${status} end`;

/**
 * Records the outcome of a run (or of its cleanup): `status` unless the replication was paused meanwhile,
 * with `values` (times, size, `last_error`...). @returns the row, or null when gone.
 */
export function settleReplication(
  db: Db,
  id: number,
  status: 'active' | 'error',
  values: PgUpdateSetSource<typeof vm_replications> = {},
): Promise<ReplicationRow | null> {
  return updateReplication(db, id, { ...values, status: settled(status) });
}

/** Marks in a run's job payload that it wrote on the destination (`folder_written`), for its cleanup. */
export async function markRunFolderWritten(db: Db, jobId: number): Promise<void> {
  await db
    .update(jobs)
    .set({ payload: sql`${jobs.payload} || '{"folder_written": true}'::jsonb` })
    .where(eq(jobs.id, jobId));
}

/** Monitor: records when the source host was first found unreachable (kept when already set). */
export async function markSourceDown(db: Db, id: number): Promise<void> {
  await db
    .update(vm_replications)
    .set({ source_unreachable_since: sql`now()` })
    .where(and(eq(vm_replications.id, id), isNull(vm_replications.source_unreachable_since)));
}

/**
 * Monitor: the source host answers again: clears the mark, and the monitor's `error` of a replication that
 * is not in automatic mode (back to `active`).
 */
export async function clearSourceDown(db: Db, id: number): Promise<void> {
  await db
    .update(vm_replications)
    .set({ source_unreachable_since: null, updated_at: sql`now()` })
    .where(eq(vm_replications.id, id));
  await db
    .update(vm_replications)
    .set({ status: 'active', last_error: null })
    .where(
      and(
        eq(vm_replications.id, id),
        eq(vm_replications.status, 'error'),
        ne(vm_replications.failover_mode, 'automatic'),
      ),
    );
}

/** Deletes a replication (its failover events go with it). @returns whether a row was deleted. */
export async function deleteReplicationRow(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(vm_replications).where(eq(vm_replications.id, id)).returning();
  return rows.length === 1;
}

/** The replication a `replication` or `failover` job works on, from its payload. */
export const jobReplicationId = (job: Pick<JobRow, 'payload'>): number => Number(job.payload.replication_id);

/**
 * The latest run (job of type `replication`) of each given replication.
 * @returns a map from replication id to its newest job row.
 */
export async function latestRuns(db: Db, ids: number[]): Promise<Map<number, JobRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([sql`(${jobs.payload}->>'replication_id')`])
    .from(jobs)
    .where(and(eq(jobs.type, 'replication'), inArray(sql`(${jobs.payload}->>'replication_id')::int`, ids)))
    .orderBy(sql`(${jobs.payload}->>'replication_id')`, desc(jobs.id));
  return new Map(rows.map((job) => [jobReplicationId(job), job]));
}

/** The payload of a replication run. `existing_replica`: what to do with a replica already there. */
export interface RunPayload {
  replication_id: number;
  existing_replica?: 'delete' | 'refresh';
  scheduled?: boolean;
}

/** Enqueues a run of a replication (PENDING job on its source host). @returns the job row. */
export function insertRunJob(
  db: Db,
  replication: Pick<ReplicationView, 'id' | 'vm_name' | 'source_server_id'>,
  payload: Omit<RunPayload, 'replication_id'>,
  createdBy?: number | null,
): Promise<JobRow> {
  return insertJob(db, {
    type: 'replication',
    target_label: replication.vm_name,
    esxi_server_id: replication.source_server_id,
    payload: { ...payload, replication_id: replication.id },
    created_by: createdBy ?? null,
  });
}

/**
 * Scheduler: claims the active replications whose `next_run_at` has passed and enqueues one run each, in one
 * transaction. The conditional UPDATE of `next_run_at` (to now + interval) returns each due row to exactly
 * one caller, so a schedule fires once even with several app processes.
 * @returns the jobs enqueued.
 */
export async function claimDueReplications(db: Db): Promise<JobRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .update(vm_replications)
      .set({
        next_run_at: sql`now() + make_interval(mins => ${vm_replications.replication_interval_minutes})`,
      })
      .where(
        and(
          eq(vm_replications.is_active, true),
          notInArray(vm_replications.status, ['paused', 'syncing']),
          isNotNull(vm_replications.next_run_at),
          lte(vm_replications.next_run_at, sql`now()`),
          sql`not exists (select 1 from jobs j where j.type = 'replication'
            and j.status in ('PENDING', 'IN_PROGRESS')
            and (j.payload->>'replication_id')::int = ${vm_replications.id})`,
        ),
      )
      .returning({ id: vm_replications.id });
    const queued: JobRow[] = [];
    for (const { id } of due) {
      const view = await getReplication(tx as unknown as Db, id);
      if (view) queued.push(await insertRunJob(tx as unknown as Db, view, { scheduled: true }));
    }
    return queued;
  });
}

/** The PENDING or IN_PROGRESS `replication` and `failover` jobs of a replication (at most a few). */
export async function activeJobsOf(db: Db, replicationId: number): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(
      and(
        inArray(jobs.type, ['replication', 'failover']),
        inArray(jobs.status, ['PENDING', 'IN_PROGRESS']),
        sql`(${jobs.payload}->>'replication_id')::int = ${replicationId}`,
      ),
    );
}
