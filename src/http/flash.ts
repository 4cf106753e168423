/** @module http/flash: a one-shot message carried across a redirect in a short-lived cookie. */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './context.js';

const COOKIE = 'flash';

/** Stores a message to show on the next page, then redirects there (303). */
export function redirectWithFlash(
  c: Context<AppEnv>,
  location: string,
  level: 'success' | 'error',
  message: string,
) {
  setCookie(c, COOKIE, encodeURIComponent(JSON.stringify({ level, message })), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: 60,
  });
  return c.redirect(location, 303);
}

/** Reads and clears the pending message. */
export function takeFlash(c: Context<AppEnv>): AppEnv['Variables']['flash'] {
  const raw = getCookie(c, COOKIE);
  if (!raw) return null;
  deleteCookie(c, COOKIE, { path: '/' });
  try {
    const value = JSON.parse(decodeURIComponent(raw));
    return (value.level === 'success' || value.level === 'error') && typeof value.message === 'string'
      ? value
      : null;
  } catch {
    return null;
  }
}
