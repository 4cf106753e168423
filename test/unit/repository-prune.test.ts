/**
 * @module test/unit/repository-prune: `selectPrune` against the cases of proxmox-backup's own prune tests
 * (tests/prune.rs, rewritten here with local times), its documented rules, and the README's worked example.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRUNE_RULES,
  isoWeek,
  type PrunePoint,
  type PruneRules,
  selectPrune,
} from '../../src/repository/prune.js';

/** A local time from `2019-11-15 09:39:15` (buckets are in local time, as PBS's strftime_local). */
function at(text: string): Date {
  const [d = '', t = '00:00:00'] = text.split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi, s] = t.split(':').map(Number);
  return new Date(y ?? 0, (mo ?? 1) - 1, da ?? 1, h ?? 0, mi ?? 0, s ?? 0);
}

const points = (...times: string[]): Array<PrunePoint<string>> => times.map((id) => ({ id, time: at(id) }));

/** Ids kept, oldest first (as PBS's tests list them). */
const kept = (list: Array<PrunePoint<string>>, rules: PruneRules) => selectPrune(list, rules).keep.reverse();
/** Ids removed, oldest first. */
const removed = (list: Array<PrunePoint<string>>, rules: PruneRules) =>
  selectPrune(list, rules).remove.reverse();

describe('keep_last', () => {
  const list = points(
    '2019-12-02 11:59:15',
    '2019-12-03 11:59:15',
    '2019-12-04 11:59:15',
    '2019-12-04 12:59:15',
  );

  it('keeps the N newest restore points and removes the rest', () => {
    expect(removed(list, { keep_last: 4 })).toEqual([]);
    expect(removed(list, { keep_last: 3 })).toEqual(['2019-12-02 11:59:15']);
    expect(removed(list, { keep_last: 2 })).toEqual(['2019-12-02 11:59:15', '2019-12-03 11:59:15']);
    expect(kept(list, { keep_last: 1 })).toEqual(['2019-12-04 12:59:15']);
    expect(kept(list, { keep_last: 10 })).toHaveLength(4);
  });

  it('counts two points of the same second as two', () => {
    const twins = [
      { id: 'a', time: at('2019-12-04 12:00:00') },
      { id: 'b', time: at('2019-12-04 12:00:00') },
    ];
    expect(selectPrune(twins, { keep_last: 2 }).remove).toEqual([]);
  });

  it('sorts the points itself (any input order) and answers newest first', () => {
    const shuffled = [list[2], list[0], list[3], list[1]].filter((p) => p !== undefined);
    expect(selectPrune(shuffled, { keep_last: 2 })).toEqual({
      keep: ['2019-12-04 12:59:15', '2019-12-04 11:59:15'],
      remove: ['2019-12-03 11:59:15', '2019-12-02 11:59:15'],
      marks: [
        { id: '2019-12-04 12:59:15', mark: 'keep' },
        { id: '2019-12-04 11:59:15', mark: 'keep' },
        { id: '2019-12-03 11:59:15', mark: 'remove' },
        { id: '2019-12-02 11:59:15', mark: 'remove' },
      ],
    });
  });
});

describe('periods', () => {
  const list = points(
    '2019-12-02 11:59:15',
    '2019-12-03 11:59:15',
    '2019-12-04 11:59:15',
    '2019-12-04 12:59:15',
  );

  it('keep_daily keeps the newest point of each of the N newest days that have one', () => {
    expect(removed(list, { keep_daily: 3 })).toEqual(['2019-12-04 11:59:15']);
    expect(removed(list, { keep_daily: 2 })).toEqual(['2019-12-02 11:59:15', '2019-12-04 11:59:15']);
  });

  it('keep_weekly, keep_monthly and keep_yearly keep one point when all fall in one week', () => {
    const allButNewest = ['2019-12-02 11:59:15', '2019-12-03 11:59:15', '2019-12-04 11:59:15'];
    expect(removed(list, { keep_weekly: 5 })).toEqual(allButNewest);
    expect(removed(list, { keep_monthly: 6 })).toEqual(allButNewest);
    expect(removed(list, { keep_yearly: 7 })).toEqual(allButNewest);
    expect(removed(list, { keep_weekly: 5, keep_monthly: 6, keep_yearly: 7 })).toEqual(allButNewest);
  });

  it('keep_last and keep_daily together: the daily option starts after the days keep_last covered', () => {
    expect(removed(list, { keep_last: 2, keep_daily: 2 })).toEqual([]);
  });

  it('keep_hourly keeps the newest of each hour; hours without a point do not count', () => {
    const hours = points(
      '2019-11-15 09:39:15',
      '2019-11-15 10:49:15',
      '2019-11-15 10:59:15',
      '2019-11-15 11:39:15',
      '2019-11-15 11:49:15',
      '2019-11-15 11:59:15',
    );
    expect(removed(hours, { keep_hourly: 3 })).toEqual([
      '2019-11-15 10:49:15',
      '2019-11-15 11:39:15',
      '2019-11-15 11:49:15',
    ]);
    expect(kept(hours, { keep_hourly: 2 })).toEqual(['2019-11-15 10:59:15', '2019-11-15 11:59:15']);
  });
});

describe('options together (a point in several periods is counted once)', () => {
  const list = points(
    '2018-11-15 11:59:15',
    '2019-11-15 11:59:15',
    '2019-11-21 11:59:15',
    '2019-11-22 11:59:15',
    '2019-11-29 11:59:15',
    '2019-12-01 11:59:15',
    '2019-12-02 11:59:15',
    '2019-12-03 11:59:15',
    '2019-12-04 11:59:15',
  );

  it('keep_daily alone keeps the newest day', () => {
    expect(kept(list, { keep_daily: 1 })).toEqual(['2019-12-04 11:59:15']);
  });

  it('keep_last 1 + keep_daily 1 keep two days: the day keep_last covered does not count again', () => {
    expect(kept(list, { keep_last: 1, keep_daily: 1 })).toEqual([
      '2019-12-03 11:59:15',
      '2019-12-04 11:59:15',
    ]);
  });

  it('daily and weekly overlap: the weekly option skips the ISO week (Monday to Sunday) daily covered', () => {
    // 2019-12-04 is a Wednesday of week 49; week 48 ends on Sunday 2019-12-01.
    expect(kept(list, { keep_daily: 1, keep_weekly: 1 })).toEqual([
      '2019-12-01 11:59:15',
      '2019-12-04 11:59:15',
    ]);
  });

  it('daily + weekly + monthly: the month of December is covered, November gives its newest point left', () => {
    expect(kept(list, { keep_daily: 1, keep_weekly: 1, keep_monthly: 1 })).toEqual([
      '2019-11-22 11:59:15',
      '2019-12-01 11:59:15',
      '2019-12-04 11:59:15',
    ]);
  });

  it('monthly + yearly: 2019 is covered by the month, the year option reaches back to 2018', () => {
    expect(kept(list, { keep_monthly: 1, keep_yearly: 1 })).toEqual([
      '2018-11-15 11:59:15',
      '2019-12-04 11:59:15',
    ]);
  });
});

describe('protected and unfinished restore points', () => {
  const list: Array<PrunePoint<string>> = [
    { id: '09:39', time: at('2019-11-15 09:39:15'), protected: true },
    { id: '10:39', time: at('2019-11-15 10:39:15') },
    { id: '10:49', time: at('2019-11-15 10:49:15') },
    { id: '10:59', time: at('2019-11-15 10:59:15'), protected: true },
  ];

  it('keeps a protected point always, and it takes no place of any option', () => {
    expect(selectPrune(list, { keep_last: 1 }).remove).toEqual(['10:39']);
    expect(selectPrune(list, { keep_hourly: 1 }).remove).toEqual(['10:39']);
    expect(selectPrune(list, { keep_last: 1 }).marks).toEqual([
      { id: '10:59', mark: 'protected' },
      { id: '10:49', mark: 'keep' },
      { id: '10:39', mark: 'remove' },
      { id: '09:39', mark: 'protected' },
    ]);
    expect(selectPrune(list, { keep_last: 0, keep_daily: 0 }).remove).toEqual([]);
  });

  it('removes unfinished points older than the newest finished one, keeps the newest unfinished one', () => {
    const runs: Array<PrunePoint<number>> = [
      { id: 1, time: at('2024-01-01 10:00:00') },
      { id: 2, time: at('2024-01-02 10:00:00'), finished: false },
      { id: 3, time: at('2024-01-03 10:00:00') },
      { id: 4, time: at('2024-01-04 10:00:00'), finished: false },
      { id: 5, time: at('2024-01-05 10:00:00'), finished: false },
    ];
    const selection = selectPrune(runs, { keep_last: 5 });
    expect(selection.keep).toEqual([5, 3, 1]);
    expect(selection.remove).toEqual([4, 2]);
    expect(selection.marks[0]).toEqual({ id: 5, mark: 'keep-partial' });
  });
});

describe('no retention option', () => {
  const list = points('2024-01-01 10:00:00', '2024-01-02 10:00:00', '2024-01-03 10:00:00');

  it('keeps everything, as PBS does when no keep option is set (or all are zero)', () => {
    expect(selectPrune(list, {}).remove).toEqual([]);
    expect(selectPrune(list, { keep_last: 0 }).remove).toEqual([]);
    expect(selectPrune(list, { keep_last: 0, keep_yearly: 0 }).keep).toHaveLength(3);
  });

  it('answers nothing for no point, and the default policy (applied by callers) is keep_last 7', () => {
    expect(selectPrune([], DEFAULT_PRUNE_RULES)).toEqual({ keep: [], remove: [], marks: [] });
    expect(DEFAULT_PRUNE_RULES).toEqual({ keep_last: 7 });
    const nine = Array.from({ length: 9 }, (_, i) => ({ id: i, time: new Date(2024, 0, i + 1) }));
    expect(selectPrune(nine, DEFAULT_PRUNE_RULES).remove).toEqual([1, 0]);
  });
});

describe('ISO weeks', () => {
  it('numbers weeks from Monday and gives the days around new year to the right ISO year', () => {
    expect(isoWeek(at('2019-12-29 12:00:00'))).toBe('2019/52'); // Sunday
    expect(isoWeek(at('2019-12-30 00:00:00'))).toBe('2020/01'); // Monday
    expect(isoWeek(at('2021-01-03 23:59:59'))).toBe('2020/53'); // Sunday
    expect(isoWeek(at('2021-01-04 00:00:00'))).toBe('2021/01');
    expect(isoWeek(at('2026-01-01 08:00:00'))).toBe('2026/01'); // Thursday
  });

  it('keeps Sunday 2019-12-29 and Monday 2019-12-30 as two weeks, and two days of one week as one', () => {
    const list = points('2019-12-28 10:00:00', '2019-12-29 10:00:00', '2019-12-30 10:00:00');
    expect(kept(list, { keep_weekly: 5 })).toEqual(['2019-12-29 10:00:00', '2019-12-30 10:00:00']);
  });
});

describe('the README example', () => {
  it('daily backups at 22:00 from 24 February to 26 March 2025 plus a manual one on 26 March at 10:00', () => {
    const list: Array<PrunePoint<string>> = [];
    for (let d = new Date(2025, 1, 24, 22); d <= new Date(2025, 2, 26, 23); d.setDate(d.getDate() + 1)) {
      list.push({ id: `${d.getMonth() + 1}-${d.getDate()} 22:00`, time: new Date(d) });
    }
    list.push({ id: '3-26 10:00', time: new Date(2025, 2, 26, 10) });
    expect(list).toHaveLength(32);
    const selection = selectPrune(list, { keep_last: 2, keep_daily: 3, keep_weekly: 2, keep_monthly: 1 });
    expect(selection.keep).toEqual([
      '3-26 22:00', // keep_last
      '3-26 10:00', // keep_last
      '3-25 22:00', // keep_daily (26 March is covered)
      '3-24 22:00', // keep_daily
      '3-23 22:00', // keep_daily
      '3-16 22:00', // keep_weekly (the weeks of 24 and 17 March are covered)
      '3-9 22:00', // keep_weekly
      '2-28 22:00', // keep_monthly (March is covered)
    ]);
    expect(selection.remove).toHaveLength(24);
  });
});
