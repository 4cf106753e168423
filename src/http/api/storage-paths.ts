/**
 * @module http/api/storage-paths: `/api/storage-paths/` CRUD; writes are for admins. The JSON of a storage
 * path (its row with the space of its file system) is `withSpace` (src/storage/storage-paths.ts).
 */
import { Hono } from 'hono';
import type { Db } from '../../db/client.js';
import {
  deleteStoragePath,
  getStoragePath,
  insertStoragePath,
  listStoragePaths,
  updateStoragePath,
} from '../../db/storage-paths.js';
import { NotFoundError } from '../../errors.js';
import { checkStoragePath, storagePathSchema, withSpace } from '../../storage/storage-paths.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { paginate } from './pagination.js';

/** The storage path `id`. @throws NotFoundError. */
async function storagePathOr404(db: Db, id: number) {
  const row = await getStoragePath(db, id);
  if (!row) throw new NotFoundError();
  return row;
}

export const storagePathsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const page = paginate(c, await listStoragePaths(c.get('deps').db));
    return c.json(page.answer(await Promise.all(page.rows.map(withSpace))));
  })
  .post('/', requireRole('admin'), async (c) => {
    const { db } = c.get('deps');
    const input = await parseJson(c, storagePathSchema);
    await checkStoragePath(db, input);
    return c.json(await withSpace(await insertStoragePath(db, input)), 201);
  })
  .get('/:id', async (c) => c.json(await withSpace(await storagePathOr404(c.get('deps').db, idParam(c)))))
  .on(['PUT', 'PATCH'], '/:id', requireRole('admin'), async (c) => {
    const { db } = c.get('deps');
    const id = idParam(c);
    const current = await storagePathOr404(db, id);
    const schema = c.req.method === 'PUT' ? storagePathSchema : storagePathSchema.partial();
    const { name, path, storage_type, description, is_active } = current;
    const input = { name, path, storage_type, description, is_active, ...(await parseJson(c, schema)) };
    await checkStoragePath(db, input, id);
    const row = await updateStoragePath(db, id, input);
    if (!row) throw new NotFoundError();
    return c.json(await withSpace(row));
  })
  .delete('/:id', requireRole('admin'), async (c) => {
    if (!(await deleteStoragePath(c.get('deps').db, idParam(c)))) throw new NotFoundError();
    return c.body(null, 204);
  });
