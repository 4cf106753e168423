/**
 * @module repository/prune: which restore points of one VM a retention policy keeps, by Proxmox Backup
 * Server's prune rules (docs "Maintenance Tasks > Pruning", proxmox-backup `pbs-datastore/src/prune.rs`).
 * Pure: no file, no clock; buckets use the process's local time zone, as PBS does.
 *
 * The rules, newest restore point first:
 * - the options run in the order keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly;
 * - each option cuts time into periods (a point for keep_last, an hour, a day, an ISO week starting on
 *   Monday, a month, a year) and keeps the newest point of each of its N newest periods that hold a point
 *   (periods without a restore point do not count);
 * - a period that already holds a point kept by an earlier option is not counted again: the option goes on
 *   to older periods (a point in several periods is counted once);
 * - a protected point is always kept and counts for no option;
 * - an unfinished point is removed unless it is newer than every finished one (then the newest is kept);
 * - with no option above zero, everything is kept (PBS: "No prune selection - keeping all files").
 * Our default policy, `DEFAULT_PRUNE_RULES`, is applied by the caller, not here.
 */

/** Retention options, PBS's `keep-*` with underscores. A missing or zero option keeps nothing by itself. */
export interface PruneRules {
  keep_last?: number;
  keep_hourly?: number;
  keep_daily?: number;
  keep_weekly?: number;
  keep_monthly?: number;
  keep_yearly?: number;
}

/** One restore point of the group being pruned (one VM). */
export interface PrunePoint<Id> {
  id: Id;
  /** When the backup was taken (its snapshot time). */
  time: Date;
  /** Never removed (and counted by no option), e.g. the last point that verified or completed well. */
  protected?: boolean;
  /** False for a backup that did not finish (PBS: a snapshot without a manifest). Default true. */
  finished?: boolean;
}

/** What prune decided for a point, in PBS's words. */
export type PruneMark = 'keep' | 'protected' | 'keep-partial' | 'remove';

/** The result: ids newest first, and the mark of each point (newest first), for a dry run's listing. */
export interface PruneSelection<Id> {
  keep: Id[];
  remove: Id[];
  marks: Array<{ id: Id; mark: PruneMark }>;
}

/** The policy of a VM that has none of its own (the default). */
export const DEFAULT_PRUNE_RULES: Readonly<PruneRules> = Object.freeze({ keep_last: 7 });

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 week-numbering year and week of a local calendar day (`2019-12-30` is `2020/01`). */
export function isoWeek(time: Date): string {
  const day = Date.UTC(time.getFullYear(), time.getMonth(), time.getDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  const thursday = new Date(day + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}/${pad(week)}`;
}

type Period = (time: Date) => string;
const year: Period = (t) => String(t.getFullYear());
const month: Period = (t) => `${year(t)}/${pad(t.getMonth() + 1)}`;
const day: Period = (t) => `${month(t)}/${pad(t.getDate())}`;
const hour: Period = (t) => `${day(t)}/${pad(t.getHours())}`;

/** The options in the order PBS applies them, each with the period a point falls in (keep_last: the point). */
const OPTIONS: Array<[keyof PruneRules, Period | null]> = [
  ['keep_last', null],
  ['keep_hourly', hour],
  ['keep_daily', day],
  ['keep_weekly', isoWeek],
  ['keep_monthly', month],
  ['keep_yearly', year],
];

/** Whether the rules keep anything at all; when not, prune keeps every point (as PBS). */
export function keepsSomething(rules: PruneRules): boolean {
  return OPTIONS.some(([name]) => (rules[name] ?? 0) > 0);
}

/**
 * Marks the newest point of each of the `count` newest periods not yet covered, walking newest first.
 * A point marked by an earlier step (kept, protected, partial or removed) is passed over; a later point of
 * an already chosen period is marked removed.
 */
function markPeriods<Id>(
  marks: Map<number, PruneMark>,
  points: Array<PrunePoint<Id>>,
  count: number,
  periodOf: (point: PrunePoint<Id>, index: number) => string,
): void {
  const covered = new Set<string>();
  points.forEach((point, i) => {
    if (marks.get(i) === 'keep') covered.add(periodOf(point, i));
  });
  const chosen = new Set<string>();
  for (const [i, point] of points.entries()) {
    if (marks.has(i)) continue;
    if (point.protected) {
      marks.set(i, 'protected');
      continue;
    }
    const period = periodOf(point, i);
    if (covered.has(period)) continue;
    if (chosen.has(period)) {
      marks.set(i, 'remove');
      continue;
    }
    if (chosen.size >= count) break;
    chosen.add(period);
    marks.set(i, 'keep');
  }
}

/**
 * Applies a retention policy to the restore points of one VM.
 * @param points the VM's restore points, in any order.
 * @param rules the policy; `{}` (or only zeros) keeps everything.
 * @returns the ids to keep and to remove, newest first, and each point's mark.
 * @example
 *   selectPrune(points, { keep_last: 3, keep_daily: 13, keep_weekly: 8, keep_monthly: 11, keep_yearly: 9 })
 * @see https://pbs.proxmox.com/docs/maintenance.html#pruning
 */
export function selectPrune<Id>(points: Array<PrunePoint<Id>>, rules: PruneRules): PruneSelection<Id> {
  const sorted = points
    .map((point, order) => ({ point, order }))
    .sort((a, b) => b.point.time.getTime() - a.point.time.getTime() || a.order - b.order)
    .map(({ point }) => point);
  const marks = new Map<number, PruneMark>();
  let newerThanFinished = true;
  for (const [i, point] of sorted.entries()) {
    if (point.finished === false) {
      marks.set(i, newerThanFinished ? 'keep-partial' : 'remove');
    }
    newerThanFinished = false;
  }
  for (const [name, period] of OPTIONS) {
    const count = rules[name];
    if (count === undefined) continue;
    markPeriods(marks, sorted, Math.max(0, Math.floor(count)), (point, i) =>
      period ? period(point.time) : String(i),
    );
  }
  const keepAll = !keepsSomething(rules);
  const selection: PruneSelection<Id> = { keep: [], remove: [], marks: [] };
  for (const [i, point] of sorted.entries()) {
    const mark: PruneMark = point.protected ? 'protected' : (marks.get(i) ?? 'remove');
    selection.marks.push({ id: point.id, mark });
    (keepAll || mark !== 'remove' ? selection.keep : selection.remove).push(point.id);
  }
  return selection;
}
