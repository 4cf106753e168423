/**
 * @module db/failover-events: FailoverEvent rows: created with their `failover` job in one transaction,
 * their step log appended step by step, listed with the replication's and the VM's names.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (FailoverEvent, failover process)
 */
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { insertJob } from './jobs.js';
import { type Listed, type ListWindow, listIn } from './list-window.js';
import {
  type FAILOVER_MODES,
  type FailoverStepLog,
  failover_events,
  virtual_machines,
  vm_replications,
} from './schema.js';

export type FailoverEventRow = typeof failover_events.$inferSelect;
export type FailoverType = (typeof FAILOVER_MODES)[number];
export type FailoverEventView = FailoverEventRow & { replication_name: string; vm_name: string };

/**
 * Creates an event (`initiated`, its first step logged) and its PENDING `failover` job together.
 * @param input.label what the operations widget names (the VM's name).
 * @returns the event row (with `job_id`), or null when `onceSince` found one already. Wake the runner after it.
 */
export async function createFailoverEvent(
  db: Db,
  input: {
    replication_id: number;
    failover_type: FailoverType;
    reason: string;
    triggered_by: number | null;
    label: string;
    step: FailoverStepLog;
    /** Monitor only: create nothing (null) when an automatic event already started at or after this time. */
    onceSince?: Date;
  },
): Promise<FailoverEventRow | null> {
  return db.transaction(async (tx) => {
    if (input.onceSince) {
      await tx.execute(sql`select id from vm_replications where id = ${input.replication_id} for update`);
      const [seen] = await tx
        .select({ id: failover_events.id })
        .from(failover_events)
        .where(
          and(
            eq(failover_events.replication_id, input.replication_id),
            eq(failover_events.failover_type, 'automatic'),
            gte(failover_events.started_at, input.onceSince),
          ),
        );
      if (seen) return null;
    }
    const job = await insertJob(tx as unknown as Db, {
      type: 'failover',
      target_label: input.label,
      esxi_server_id: null,
      payload: { replication_id: input.replication_id },
      created_by: input.triggered_by,
    });
    const [row] = await tx
      .insert(failover_events)
      .values({
        replication_id: input.replication_id,
        failover_type: input.failover_type,
        reason: input.reason,
        triggered_by: input.triggered_by,
        step_log: [input.step],
        job_id: job.id,
      })
      .returning();
    return row as FailoverEventRow;
  });
}

function selectViews(db: Db) {
  return db
    .select({
      event: failover_events,
      replication_name: vm_replications.name,
      vm_name: virtual_machines.name,
    })
    .from(failover_events)
    .innerJoin(vm_replications, eq(vm_replications.id, failover_events.replication_id))
    .innerJoin(virtual_machines, eq(virtual_machines.id, vm_replications.virtual_machine_id));
}

type Joined = Awaited<ReturnType<ReturnType<typeof selectViews>['execute']>>[number];
const toView = ({ event, ...names }: Joined): FailoverEventView => ({ ...event, ...names });

/** Events, newest first. @param filter.replication only those of one replication. */
export async function listFailoverEvents(
  db: Db,
  filter: { replication?: number } = {},
  window?: ListWindow,
): Promise<Listed<FailoverEventView>> {
  const { rows, count } = await listIn(
    db,
    () =>
      selectViews(db)
        .where(filter.replication ? eq(failover_events.replication_id, filter.replication) : undefined)
        .orderBy(desc(failover_events.id))
        .$dynamic(),
    window,
  );
  return { rows: rows.map(toView), count };
}

/**
 * The newest real (manual or automatic) failover of a replication that completed, or null: the replica it
 * powered on serves in the source's place.
 */
export async function lastCompletedFailover(db: Db, replicationId: number): Promise<FailoverEventRow | null> {
  const [row] = await db
    .select()
    .from(failover_events)
    .where(
      and(
        eq(failover_events.replication_id, replicationId),
        eq(failover_events.status, 'completed'),
        inArray(failover_events.failover_type, ['manual', 'automatic']),
      ),
    )
    .orderBy(desc(failover_events.id))
    .limit(1);
  return row ?? null;
}

/** One event with its names, or null. */
export async function getFailoverEvent(db: Db, id: number): Promise<FailoverEventView | null> {
  const [row] = await selectViews(db).where(eq(failover_events.id, id));
  return row ? toView(row) : null;
}

/** The event a `failover` job runs, or null. */
export async function getEventByJob(db: Db, jobId: number): Promise<FailoverEventRow | null> {
  const [row] = await db.select().from(failover_events).where(eq(failover_events.job_id, jobId));
  return row ?? null;
}

/** Appends one step to an event's log (atomic jsonb append) and applies `values` in the same UPDATE. */
export async function logFailoverStep(
  db: Db,
  id: number,
  step: FailoverStepLog,
  values: Partial<typeof failover_events.$inferInsert> = {},
): Promise<void> {
  await db
    .update(failover_events)
    .set({ ...values, step_log: sql`${failover_events.step_log} || ${JSON.stringify([step])}::jsonb` })
    .where(eq(failover_events.id, id));
}
