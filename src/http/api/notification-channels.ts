/**
 * @module http/api/notification-channels: `/api/notification-channels/` CRUD (writes for admins) and
 * `POST /api/notification-channels/{id}/test/`, which sends a test message at once and answers what the server
 * said (502 `notification_test_failed` with the server's `response` when it refused or was unreachable).
 * Secrets are write-only: answers carry `has_password`, `has_secret`, `has_token` in `config`.
 */
import { Hono } from 'hono';
import type { Db } from '../../db/client.js';
import {
  deleteChannel,
  getChannel,
  insertChannel,
  listChannels,
  updateChannel,
} from '../../db/notification-channels.js';
import { AppError, NotFoundError } from '../../errors.js';
import {
  channelAsInput,
  channelColumns,
  channelJson,
  channelSchema,
  DeliveryError,
  sendTest,
} from '../../notifications/index.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { readJson, validate } from '../validation.js';
import { idParam } from './ids.js';
import { paginate } from './pagination.js';

/** The channel `id`. @throws NotFoundError. */
export async function channelOr404(db: Db, id: number) {
  const row = await getChannel(db, id);
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * Sends the test message of a channel. @returns what the server answered.
 * @throws AppError 502 `notification_test_failed` with `response` (the server's answer, or null).
 */
export async function testChannel(deps: AppEnv['Variables']['deps'], id: number): Promise<string> {
  const channel = await channelOr404(deps.db, id);
  try {
    return await sendTest(deps, channel);
  } catch (err) {
    if (!(err instanceof DeliveryError)) throw err;
    throw new AppError(502, 'notification_test_failed', err.detail, undefined, { response: err.response });
  }
}

export const notificationChannelsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const deps = c.get('deps');
    const page = paginate(c, await listChannels(deps.db));
    return c.json(page.answer(page.rows.map((r) => channelJson(deps, r))));
  })
  .post('/', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const input = validate(c, channelSchema, await readJson(c));
    const row = await insertChannel(deps.db, await channelColumns(deps, input));
    return c.json(channelJson(deps, row), 201);
  })
  .get('/:id', async (c) => {
    const deps = c.get('deps');
    return c.json(channelJson(deps, await channelOr404(deps.db, idParam(c))));
  })
  .on(['PUT', 'PATCH'], '/:id', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const current = await channelOr404(deps.db, idParam(c));
    const body = await readJson(c);
    const merged =
      c.req.method === 'PATCH' && body && typeof body === 'object' && !Array.isArray(body)
        ? channelAsInput(current, body as Record<string, unknown>)
        : body;
    const input = validate(c, channelSchema, merged);
    const row = await updateChannel(deps.db, current.id, await channelColumns(deps, input, current));
    if (!row) throw new NotFoundError();
    return c.json(channelJson(deps, row));
  })
  .delete('/:id', requireRole('admin'), async (c) => {
    if (!(await deleteChannel(c.get('deps').db, idParam(c)))) throw new NotFoundError();
    return c.body(null, 204);
  })
  .post('/:id/test', requireRole('admin'), async (c) => {
    const response = await testChannel(c.get('deps'), idParam(c));
    return c.json({ sent: true, response });
  });
