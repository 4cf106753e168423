import { describe, expect, it } from 'vitest';
import { SESSION_CACHE_MS, SessionCache } from '../../src/auth/session-cache.js';

describe('session cache', () => {
  const db = {};
  const now = 1_000_000;

  it('reuses an answer for SESSION_CACHE_MS at most, and never past the session end', () => {
    const cache = new SessionCache<string | null>();
    cache.set(db, 'a', 'alice', Number.POSITIVE_INFINITY, now);
    cache.set(db, 'b', 'bob', now + 1_000, now);
    expect(cache.get(db, 'a', now + SESSION_CACHE_MS - 1)).toBe('alice');
    expect(cache.get(db, 'a', now + SESSION_CACHE_MS)).toBeUndefined();
    expect(cache.get(db, 'b', now + 999)).toBe('bob');
    expect(cache.get(db, 'b', now + 1_000)).toBeUndefined();
    expect(cache.get({}, 'a', now)).toBeUndefined(); // another database
  });

  it('forgets one session on sign-out and every session on a user change', () => {
    const cache = new SessionCache<string | null>();
    cache.set(db, 'a', 'alice', undefined, now);
    cache.set(db, 'b', null, undefined, now);
    cache.forget(db, 'a');
    expect(cache.get(db, 'a', now)).toBeUndefined();
    expect(cache.get(db, 'b', now)).toBeNull();
    cache.forget(db);
    expect(cache.get(db, 'b', now)).toBeUndefined();
  });
});
