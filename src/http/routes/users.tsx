/** @module http/routes/users: the users admin page: add a user, change a role, deactivate or reactivate. */
import { Hono } from 'hono';
import { z } from 'zod';
import { UsersPage } from '../../../views/users/list.js';
import { ROLES } from '../../db/schema.js';
import { createUser, isUsernameTaken, listUsers, updateUser } from '../../db/users.js';
import { AppError, InvalidInputError, NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { redirectWithFlash } from '../flash.js';
import { requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { parseForm } from '../validation.js';
import { PASSWORD, USERNAME } from './auth.js';

const newUser = z.object({ username: USERNAME, password: PASSWORD, role: z.enum(ROLES) });
const change = z.object({
  role: z.enum(ROLES),
  is_active: z.enum(['true', 'false']).transform((v) => v === 'true'),
});

export const userRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .get('/', async (c) => render(c, <UsersPage users={await listUsers(c.get('deps').db)} />))
  .post('/', async (c) => {
    const { db, logger } = c.get('deps');
    const form = await parseForm(c, newUser);
    const again = async (values: Record<string, string>, errors: Record<string, string[]>) =>
      render(c, <UsersPage users={await listUsers(db)} values={values} errors={errors} />, 400);
    if (!form.ok) return again(form.values, form.errors);
    if (await isUsernameTaken(db, form.data.username)) {
      return again(
        { username: form.data.username, role: form.data.role },
        { username: [c.get('t')('users.username_taken')] },
      );
    }
    await createUser(db, form.data);
    logger.info(
      { username: form.data.username, role: form.data.role, by: c.get('user')?.username },
      'user created',
    );
    return redirectWithFlash(c, '/users/', 'success', c.get('t')('common.saved'));
  })
  .post('/:id', async (c) => {
    const { db, logger } = c.get('deps');
    const id = idParam(c);
    if (id === c.get('user')?.id) throw new AppError(400, 'not_yourself', msg('users.not_yourself'));
    const form = await parseForm(c, change);
    if (!form.ok) throw new InvalidInputError(form.errors);
    if (!(await updateUser(db, id, form.data))) throw new NotFoundError();
    logger.info({ user: id, ...form.data, by: c.get('user')?.username }, 'user changed');
    return redirectWithFlash(c, '/users/', 'success', c.get('t')('common.saved'));
  });
