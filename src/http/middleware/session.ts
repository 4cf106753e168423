/** @module http/middleware/session: signed session cookie <-> server-side session row; locale and flash. */
import type { Context } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { findSession, SESSION_SECONDS } from '../../db/users.js';
import type { AppEnv } from '../context.js';
import { takeFlash } from '../flash.js';

const COOKIE = 'ebm_session';
const MAX_VERIFIED = 10_000;

/**
 * Signed cookie values already checked, per secret: the value's session id, or false for a bad signature.
 * A signature's verdict never changes, and checking it (WebCrypto HMAC) costs more than the rest of a
 * polled fragment's request.
 */
const verified = new Map<string, Map<string, string | false>>();

async function sessionIdOf(c: Context<AppEnv>, secret: string): Promise<string | false> {
  const raw = getCookie(c, COOKIE);
  if (!raw) return false;
  let known = verified.get(secret);
  if (!known) {
    known = new Map();
    verified.set(secret, known);
  }
  let sessionId = known.get(raw);
  if (sessionId === undefined) {
    sessionId = (await getSignedCookie(c, secret, COOKIE)) || false;
    if (known.size >= MAX_VERIFIED) known.clear();
    known.set(raw, sessionId);
  }
  return sessionId;
}

/** Sets `user`, `csrfToken`, `sessionId` and `flash` for every request. */
export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const { db, config } = c.get('deps');
  c.set('user', null);
  c.set('csrfToken', null);
  c.set('sessionId', null);
  c.set('flash', takeFlash(c));
  const sessionId = await sessionIdOf(c, config.appSecret);
  if (sessionId) {
    const session = await findSession(db, sessionId);
    if (session) {
      c.set('user', session.user);
      c.set('csrfToken', session.csrfToken);
      c.set('sessionId', sessionId);
    }
  }
  await next();
});

/** Puts the session id in a signed, HttpOnly, SameSite=Lax cookie. */
export async function setSessionCookie(c: Context<AppEnv>, sessionId: string): Promise<void> {
  const { config } = c.get('deps');
  await setSignedCookie(c, COOKIE, sessionId, config.appSecret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.secureCookies,
    maxAge: SESSION_SECONDS,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIE, { path: '/' });
}
