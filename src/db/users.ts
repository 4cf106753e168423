/** @module db/users: users, their server-side sessions and API tokens. */
import { and, count, eq, gt, lt } from 'drizzle-orm';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { SessionCache } from '../auth/session-cache.js';
import { newToken, tokenHash } from '../crypto/tokens.js';
import type { Db } from './client.js';
import { api_tokens, type Role, sessions, users } from './schema.js';

export type User = Pick<typeof users.$inferSelect, 'id' | 'username' | 'role'>;
const userColumns = { id: users.id, username: users.username, role: users.role };

/** Session lifetime: 12 hours, renewed by signing in again. */
export const SESSION_SECONDS = 12 * 3600;

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/** Creates a user. @throws the unique-violation error when the username is taken. */
export async function createUser(
  db: Db,
  input: { username: string; password: string; role: Role },
): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ username: input.username, role: input.role, password_hash: await hashPassword(input.password) })
    .returning(userColumns);
  return user as User;
}

/** Creates the first admin only while there is no user at all (idempotent at start-up). */
export async function createFirstAdmin(db: Db, username: string, password: string): Promise<User | null> {
  if ((await countUsers(db)) > 0) return null;
  return createUser(db, { username, password, role: 'admin' });
}

/** Checks credentials; null for an unknown user, a wrong password or a disabled account. */
export async function authenticate(db: Db, username: string, password: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  if (!row?.is_active || !(await verifyPassword(password, row.password_hash))) return null;
  await db.update(users).set({ last_login_at: new Date() }).where(eq(users.id, row.id));
  return { id: row.id, username: row.username, role: row.role };
}

/** Opens a session. @returns the session id for the cookie (only its hash is stored) and its CSRF token. */
export async function createSession(
  db: Db,
  userId: number,
): Promise<{ sessionId: string; csrfToken: string }> {
  const sessionId = newToken();
  const csrfToken = newToken();
  await db.insert(sessions).values({
    id_hash: tokenHash(sessionId),
    user_id: userId,
    csrf_token: csrfToken,
    expires_at: new Date(Date.now() + SESSION_SECONDS * 1000),
  });
  await db.delete(sessions).where(lt(sessions.expires_at, new Date()));
  return { sessionId, csrfToken };
}

type SessionAnswer = { user: User; csrfToken: string } | null;
const sessionCache = new SessionCache<SessionAnswer>();

/**
 * The live session's user and CSRF token, or null when unknown, expired or the user is disabled. Answers
 * are reused for up to SESSION_CACHE_MS (see auth/session-cache); sign-out and user changes forget them.
 */
export async function findSession(db: Db, sessionId: string): Promise<SessionAnswer> {
  const cached = sessionCache.get(db, sessionId);
  if (cached !== undefined) return cached;
  const [row] = await db
    .select({ ...userColumns, csrfToken: sessions.csrf_token, expiresAt: sessions.expires_at })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.user_id))
    .where(
      and(
        eq(sessions.id_hash, tokenHash(sessionId)),
        gt(sessions.expires_at, new Date()),
        eq(users.is_active, true),
      ),
    );
  if (!row) {
    sessionCache.set(db, sessionId, null);
    return null;
  }
  const { csrfToken, expiresAt, ...user } = row;
  const answer = { user, csrfToken };
  sessionCache.set(db, sessionId, answer, expiresAt.getTime());
  return answer;
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  sessionCache.forget(db, sessionId);
  await db.delete(sessions).where(eq(sessions.id_hash, tokenHash(sessionId)));
}

/** Issues an API token. @returns the key, shown once; only its hash is stored. */
export async function createApiToken(db: Db, userId: number, name = 'api'): Promise<string> {
  const key = newToken();
  await db.insert(api_tokens).values({ user_id: userId, name, key_hash: tokenHash(key) });
  return key;
}

/** The active user owning an API key, or null. */
export async function findUserByApiToken(db: Db, key: string): Promise<User | null> {
  const [row] = await db
    .select({ ...userColumns, tokenId: api_tokens.id })
    .from(api_tokens)
    .innerJoin(users, eq(users.id, api_tokens.user_id))
    .where(and(eq(api_tokens.key_hash, tokenHash(key)), eq(users.is_active, true)));
  if (!row) return null;
  await db.update(api_tokens).set({ last_used_at: new Date() }).where(eq(api_tokens.id, row.tokenId));
  return { id: row.id, username: row.username, role: row.role };
}

/** Every user, for the admin page (no password hashes). */
export async function listUsers(db: Db) {
  return db
    .select({
      ...userColumns,
      is_active: users.is_active,
      last_login_at: users.last_login_at,
      created_at: users.created_at,
    })
    .from(users)
    .orderBy(users.username);
}

/** Changes a user's role and/or active flag; a deactivated user loses their sessions at once. */
export async function updateUser(
  db: Db,
  id: number,
  values: { role?: Role; is_active?: boolean },
): Promise<boolean> {
  const rows = await db.update(users).set(values).where(eq(users.id, id)).returning({ id: users.id });
  if (values.is_active === false) await db.delete(sessions).where(eq(sessions.user_id, id));
  sessionCache.forget(db);
  return rows.length > 0;
}

export async function isUsernameTaken(db: Db, username: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return rows.length > 0;
}
