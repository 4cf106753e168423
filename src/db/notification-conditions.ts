/**
 * @module db/notification-conditions: conditions that notify once per episode. `holdCondition` records that
 * a condition holds (its `since` is the first pass that saw it), `claimCondition` lets one process notify it
 * once it held long enough, `clearConditions` ends the episodes that no longer hold.
 */
import { and, eq, isNull, like, lte, notInArray, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { notification_conditions } from './schema.js';

/** Records that `key` holds (keeps the first `since`). */
export async function holdCondition(db: Db, key: string): Promise<void> {
  await db.insert(notification_conditions).values({ key }).onConflictDoNothing();
}

/**
 * Claims the notification of `key` if it has held for `heldSeconds` (database clock) and was not notified yet.
 * @returns the condition's `since` for the one process whose UPDATE changed the row, else null.
 */
export async function claimCondition(db: Db, key: string, heldSeconds: number): Promise<Date | null> {
  const rows = await db
    .update(notification_conditions)
    .set({ notified_at: sql`now()` })
    .where(
      and(
        eq(notification_conditions.key, key),
        isNull(notification_conditions.notified_at),
        lte(notification_conditions.since, sql`now() - make_interval(secs => ${heldSeconds})`),
      ),
    )
    .returning({ since: notification_conditions.since });
  return rows[0]?.since ?? null;
}

/** Ends every episode under `prefix` (e.g. `storage:`) except the keys that still hold. */
export async function clearConditions(db: Db, prefix: string, holding: string[]): Promise<void> {
  await db
    .delete(notification_conditions)
    .where(
      and(
        like(notification_conditions.key, `${prefix}%`),
        holding.length ? notInArray(notification_conditions.key, holding) : undefined,
      ),
    );
}
