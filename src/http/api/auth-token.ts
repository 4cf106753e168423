/** @module http/api/auth-token: `POST /api/auth/token/` trades a username and password for an API token. */
import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate, createApiToken } from '../../db/users.js';
import { AppError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import type { AppEnv } from '../context.js';
import { parseJson } from '../validation.js';

/** Body of `POST /api/auth/token/`. */
export const credentialsSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

export const authTokenApi = new Hono<AppEnv>().post('/', async (c) => {
  const { db } = c.get('deps');
  const body = await parseJson(c, credentialsSchema);
  const user = await authenticate(db, body.username, body.password);
  if (!user) {
    const refused = msg('error.bad_credentials');
    throw new AppError(400, 'bad_credentials', refused, { _: [refused] });
  }
  return c.json({ token: await createApiToken(db, user.id) });
});
