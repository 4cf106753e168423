/** Which bytes an incremental read fetches per chunk (backup/cbt-ranges.ts `planFetches`). */
import { describe, expect, it } from 'vitest';
import { planFetches } from '../../src/backup/cbt-ranges.js';

const MiB = 1024 * 1024;
const CHUNK = 4 * MiB;

describe('planFetches', () => {
  it('fetches a chunk whole when its changed areas cover most of it, else only the areas', () => {
    const plan = planFetches(
      [
        { start: 0, length: 3.5 * MiB },
        { start: 5 * MiB, length: 64 * 1024 },
        { start: 5 * MiB + 128 * 1024, length: 64 * 1024 },
        { start: 7 * MiB, length: 64 * 1024 },
      ],
      64 * MiB,
      CHUNK,
    );
    expect(plan.get(0)).toEqual({ whole: true });
    // The first two areas of chunk 1 are 64 KiB apart: one span; the third is far: its own.
    expect(plan.get(1)).toEqual({
      whole: false,
      spans: [
        [5 * MiB, 5 * MiB + 192 * 1024],
        [7 * MiB, 7 * MiB + 64 * 1024],
      ],
    });
    expect([...plan.keys()]).toEqual([0, 1]);
  });

  it('splits an area across the chunks it spans and clips it to the extent', () => {
    const plan = planFetches([{ start: 4 * MiB - 100, length: 200 }], 4 * MiB + 50, CHUNK);
    expect(plan.get(0)).toEqual({ whole: false, spans: [[4 * MiB - 100, 4 * MiB]] });
    expect(plan.get(1)).toEqual({ whole: true }); // 50 bytes of a 50-byte last piece
  });
});
