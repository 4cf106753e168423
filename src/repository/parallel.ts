/** @module repository/parallel: runs an async step over many items with a fixed number in flight. */

/**
 * Calls `step` for each item, at most `limit` at a time, in the items' order of start.
 * @param signal checked before each step: an abort stops starting new ones and rejects with its reason.
 * @throws the first error a step throws (the steps already started finish first).
 */
export async function eachLimited<T>(
  items: Iterable<T>,
  limit: number,
  step: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failed = false;
  const lane = async () => {
    for (let next = iterator.next(); !next.done && !failed; next = iterator.next()) {
      signal?.throwIfAborted();
      try {
        await step(next.value);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, limit) }, lane));
  const rejected = lanes.find((lane) => lane.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/** Whether an error is a file-system error with one of these codes (`ENOENT`, ...). */
export function isFsError(err: unknown, ...codes: string[]): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && (codes.length === 0 ? /^E[A-Z]+$/.test(code) : codes.includes(code));
}
