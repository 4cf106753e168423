import { describe, expect, it } from 'vitest';
import { msg } from '../../src/i18n/message.js';
import { createProgressReporter, normalizeProgress } from '../../src/jobs/progress.js';
import type { ProgressUpdate } from '../../src/jobs/types.js';

describe('progress reporter', () => {
  it('writes at most about once per interval, merges fields, and the last report lands on flush', async () => {
    const writes: ProgressUpdate[] = [];
    const reporter = createProgressReporter(
      async (u) => {
        writes.push(u);
        await new Promise((r) => setTimeout(r, 5));
      },
      100,
      () => {},
    );
    const started = Date.now();
    reporter.report({ step: msg('step.copying', { file: 'disk1' }), bytes_total: 1000 });
    let i = 0;
    while (Date.now() - started < 350) {
      reporter.report({ progress: i / 10, bytes_done: i });
      i++;
      await new Promise((r) => setTimeout(r, 1));
    }
    reporter.report({ progress: 99, bytes_done: 999 });
    await reporter.flush();
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(writes.length).toBeLessThanOrEqual(6);
    expect(writes[0]).toMatchObject({ step: msg('step.copying', { file: 'disk1' }), bytes_total: 1000 });
    expect(writes.at(-1)).toMatchObject({ progress: 99, bytes_done: 999 });
    reporter.report({ progress: 100 });
    await new Promise((r) => setTimeout(r, 150));
    expect(writes.at(-1)).toMatchObject({ progress: 99 });
  });

  it('keeps going after a failed write and hands the error over', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const reporter = createProgressReporter(
      async () => {
        calls++;
        if (calls === 1) throw new Error('db down');
      },
      10,
      (err) => errors.push(err),
    );
    reporter.report({ progress: 1 });
    await new Promise((r) => setTimeout(r, 30));
    reporter.report({ progress: 2 });
    await reporter.flush();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('clamps what it stores, and keeps the step message as it is', () => {
    const step = msg('step.copying', { file: 'disk1-flat.vmdk' });
    expect(normalizeProgress({ progress: 140.6, bytes_done: -3, bytes_total: 10.4, step })).toEqual({
      progress: 100,
      bytes_done: 0,
      bytes_total: 10,
      step,
    });
    expect(normalizeProgress({ progress: Number.NaN })).toEqual({ progress: 0 });
  });
});
