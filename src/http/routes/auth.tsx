/** @module http/routes/auth: first-admin setup, sign-in, sign-out and the language switch. */
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import { LoginPage, SetupPage } from '../../../views/auth/login.js';
import { authenticate, countUsers, createFirstAdmin, createSession, deleteSession } from '../../db/users.js';
import type { AppEnv } from '../context.js';
import { clearSessionCookie, setSessionCookie } from '../middleware/session.js';
import { render } from '../render.js';
import { parseForm } from '../validation.js';

export const USERNAME = z
  .string()
  .trim()
  .min(1)
  .max(150)
  .regex(/^[\w.@+-]+$/, { error: 'users.field.username' });
export const PASSWORD = z.string().min(8).max(256);

const setupForm = z
  .object({ username: USERNAME, password: PASSWORD, password_confirm: z.string() })
  .refine((f) => f.password === f.password_confirm, {
    path: ['password_confirm'],
    error: 'auth.password_mismatch',
  });

/** Only local paths, so that `?next=` cannot send the user to another site. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const authRoutes = new Hono<AppEnv>()
  .get('/setup', async (c) => {
    if ((await countUsers(c.get('deps').db)) > 0) return c.redirect('/login', 302);
    return render(c, <SetupPage />);
  })
  .post('/setup', async (c) => {
    const { db } = c.get('deps');
    const form = await parseForm(c, setupForm);
    if (!form.ok) {
      return render(c, <SetupPage username={form.values.username} errors={form.errors} />, 400);
    }
    const admin = await createFirstAdmin(db, form.data.username, form.data.password);
    if (!admin) return c.redirect('/login', 303);
    const { sessionId } = await createSession(db, admin.id);
    await setSessionCookie(c, sessionId);
    return c.redirect('/', 303);
  })
  .get('/login', async (c) => {
    if ((await countUsers(c.get('deps').db)) === 0) return c.redirect('/setup', 302);
    if (c.get('user')) return c.redirect(safeNext(c.req.query('next')), 302);
    return render(c, <LoginPage next={safeNext(c.req.query('next'))} />);
  })
  .post('/login', async (c) => {
    const { db, logger } = c.get('deps');
    const body = await c.req.parseBody();
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = username && password ? await authenticate(db, username, password) : null;
    if (!user) {
      logger.info({ username }, 'sign-in refused');
      const page = (
        <LoginPage username={username} next={safeNext(body.next)} error={c.get('t')('auth.login.invalid')} />
      );
      return render(c, page, 400);
    }
    const { sessionId } = await createSession(db, user.id);
    await setSessionCookie(c, sessionId);
    logger.info({ username }, 'signed in');
    return c.redirect(safeNext(body.next), 303);
  })
  .post('/logout', async (c) => {
    const sessionId = c.get('sessionId');
    if (sessionId) await deleteSession(c.get('deps').db, sessionId);
    clearSessionCookie(c);
    return c.redirect('/login', 303);
  })
  .get('/lang/:lang{fr|en}', (c) => {
    setCookie(c, 'lang', c.req.param('lang'), { path: '/', sameSite: 'Lax', maxAge: 365 * 86400 });
    return c.redirect(
      safeNext(c.req.header('Referer') ? new URL(c.req.header('Referer') as string).pathname : '/'),
      303,
    );
  });
