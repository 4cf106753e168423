/** @module http/middleware/session: signed session cookie <-> server-side session row; locale and flash. */
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { findSession, SESSION_SECONDS } from '../../db/users.js';
import type { AppEnv } from '../context.js';
import { takeFlash } from '../flash.js';

const COOKIE = 'ebm_session';

/** Sets `user`, `csrfToken`, `sessionId` and `flash` for every request. */
export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const { db, config } = c.get('deps');
  c.set('user', null);
  c.set('csrfToken', null);
  c.set('sessionId', null);
  c.set('flash', takeFlash(c));
  const sessionId = await getSignedCookie(c, config.appSecret, COOKIE);
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
