/** @module http/api/storage-paths: `/api/storage-paths/` CRUD; writes are for admins. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  deleteStoragePath,
  getStoragePath,
  insertStoragePath,
  listStoragePaths,
  updateStoragePath,
} from '../../db/storage-paths.js';
import { checkStoragePath, storagePathJson, storagePathSchema } from '../../storage/storage-paths.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { paginate } from './pagination.js';

export const storagePathsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const page = paginate(c, await listStoragePaths(c.get('deps').db));
    return c.json(page.answer(await Promise.all(page.rows.map(storagePathJson))));
  })
  .post('/', requireRole('admin'), async (c) => {
    const { db } = c.get('deps');
    const input = await parseJson(c, storagePathSchema);
    await checkStoragePath(db, input);
    return c.json(await storagePathJson(await insertStoragePath(db, input)), 201);
  })
  .get('/:id', async (c) => {
    const row = await getStoragePath(c.get('deps').db, idParam(c));
    if (!row) throw new HTTPException(404, { message: 'Not found.' });
    return c.json(await storagePathJson(row));
  })
  .on(['PUT', 'PATCH'], '/:id', requireRole('admin'), async (c) => {
    const { db } = c.get('deps');
    const id = idParam(c);
    const current = await getStoragePath(db, id);
    if (!current) throw new HTTPException(404, { message: 'Not found.' });
    const schema = c.req.method === 'PUT' ? storagePathSchema : storagePathSchema.partial();
    const { name, path, storage_type, description, is_active } = current;
    const input = { name, path, storage_type, description, is_active, ...(await parseJson(c, schema)) };
    await checkStoragePath(db, input, id);
    const row = await updateStoragePath(db, id, input);
    return c.json(await storagePathJson(row as NonNullable<typeof row>));
  })
  .delete('/:id', requireRole('admin'), async (c) => {
    if (!(await deleteStoragePath(c.get('deps').db, idParam(c))))
      throw new HTTPException(404, { message: 'Not found.' });
    return c.body(null, 204);
  });
