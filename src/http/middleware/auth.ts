/**
 * @module http/middleware/auth: who may do what. Pages redirect to sign-in; `/api/*` answers 401 JSON and
 * also accepts `Authorization: Token <key>` (the seed's DRF convention). Session-authenticated unsafe
 * requests must carry the session's CSRF token (form field `_csrf` or header `X-CSRF-Token`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Role } from '../../db/schema.js';
import { findUserByApiToken } from '../../db/users.js';
import { AccessError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import type { AppEnv } from '../context.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Page routes: a signed-in user, else a redirect to /login (or to /setup while no user exists). */
export const requireLogin = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get('user')) {
    const next = encodeURIComponent(c.req.path);
    if (c.req.header('HX-Request') === 'true') {
      c.header('HX-Redirect', `/login?next=${next}`);
      return c.body(null, 401);
    }
    return c.redirect(`/login?next=${next}`, 302);
  }
  await checkCsrf(c);
  await next();
});

/** API routes: a token or a session; 401 JSON otherwise. */
export const requireApiAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('Authorization');
  if (header) {
    const match = /^Token\s+(\S+)$/i.exec(header);
    const user = match?.[1] ? await findUserByApiToken(c.get('deps').db, match[1]) : null;
    if (!user) throw new AccessError(401, 'invalid_token', msg('error.invalid_token'));
    c.set('user', user);
    c.set('csrfToken', null);
    return next();
  }
  if (!c.get('user')) throw new AccessError(401, 'not_authenticated', msg('error.auth_required'));
  await checkCsrf(c);
  await next();
});

/** At least the given role (viewer < operator < admin); 403 otherwise. */
export function requireRole(role: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get('user');
    if (!user || RANK[user.role] < RANK[role])
      throw new AccessError(403, 'forbidden', msg('error.forbidden'));
    await next();
  });
}

/** True when the signed-in user has at least `role`. */
export function hasRole(c: Context<AppEnv>, role: Role): boolean {
  const user = c.get('user');
  return !!user && RANK[user.role] >= RANK[role];
}

async function checkCsrf(c: Context<AppEnv>): Promise<void> {
  const expected = c.get('csrfToken');
  if (SAFE_METHODS.has(c.req.method) || !expected) return;
  let sent = c.req.header('X-CSRF-Token');
  if (!sent && c.req.header('Content-Type')?.match(/form-urlencoded|multipart/)) {
    const body = await c.req.parseBody();
    sent = typeof body._csrf === 'string' ? body._csrf : undefined;
  }
  if (!sent || !safeEqual(sent, expected)) throw new AccessError(403, 'csrf', msg('error.csrf'));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
