/**
 * @module auth/session-cache: remembers, per database, whose session a session id is for a few seconds, so
 * that fragments polled every 500 ms (the operations widget, progress bars) do not query the sessions table
 * on every request. Sign-out and user changes made in this process are forgotten at once; another app process
 * on the same database sees them within SESSION_CACHE_MS.
 */

/** How long (milliseconds) an answer is reused at most. */
export const SESSION_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  until: number;
}

/** A per-database cache of session lookups (`T` is the lookup's answer, null for "no such session"). */
export class SessionCache<T> {
  readonly #byDb = new WeakMap<object, Map<string, Entry<T>>>();

  /** The answer cached for `sessionId` on `db`, or undefined when there is none or it is stale. */
  get(db: object, sessionId: string, now = Date.now()): T | undefined {
    const entry = this.#byDb.get(db)?.get(sessionId);
    return entry && entry.until > now ? entry.value : undefined;
  }

  /**
   * Caches `value` until SESSION_CACHE_MS pass or `expiresAt` (epoch milliseconds, the session's own end),
   * whichever comes first.
   */
  set(db: object, sessionId: string, value: T, expiresAt = Number.POSITIVE_INFINITY, now = Date.now()): void {
    let entries = this.#byDb.get(db);
    if (!entries) {
      entries = new Map();
      this.#byDb.set(db, entries);
    }
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(sessionId, { value, until: Math.min(now + SESSION_CACHE_MS, expiresAt) });
  }

  /** Forgets one session (sign-out), or every session of `db` when `sessionId` is omitted (user changes). */
  forget(db: object, sessionId?: string): void {
    if (sessionId === undefined) this.#byDb.delete(db);
    else this.#byDb.get(db)?.delete(sessionId);
  }
}
