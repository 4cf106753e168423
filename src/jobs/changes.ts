/**
 * @module jobs/changes: a counter bumped whenever this process changes a job (enqueued, claimed, progress,
 * finished, cancelled, failed as interrupted), so that views derived from the jobs table can be reused until
 * it moves. Changes made by other processes are not seen here: readers also bound their reuse in time.
 */

let version = 0;

/** Records that a job changed in this process; call it once the write is done, so that a reader seeing the new count also sees the change. */
export function jobsChanged(): void {
  version++;
}

/** The current change count (compare two readings to know whether anything changed in between). */
export function jobsVersion(): number {
  return version;
}
