/**
 * @module http/api/storage-paths: `/api/storage-paths/` CRUD, and starting a verify or a garbage collection
 * of a path's repository; writes are for admins. Create and update take `encrypted` and `passphrase` (never
 * returned); the 201 of a creation that made an encrypted repository carries its `master_key` (hex), once.
 * The JSON of a storage path is src/http/api/storage-paths-json.ts.
 */
import { type Context, Hono } from 'hono';
import type { Db } from '../../db/client.js';
import {
  deleteStoragePath,
  getStoragePath,
  insertStoragePath,
  listStoragePaths,
  updateStoragePath,
} from '../../db/storage-paths.js';
import { NotFoundError } from '../../errors.js';
import { type RepositoryJobType, startRepositoryJob } from '../../repository-jobs/index.js';
import {
  checkStoragePath,
  prepareRepository,
  storagePathColumns,
  storagePathSchema,
} from '../../storage/storage-paths.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { operationJson } from './operations-json.js';
import { paginate } from './pagination.js';
import { storagePathsJson } from './storage-paths-json.js';

/** The storage path `id`. @throws NotFoundError. */
async function storagePathOr404(db: Db, id: number) {
  const row = await getStoragePath(db, id);
  if (!row) throw new NotFoundError();
  return row;
}

/** The JSON of one storage path. */
async function one(db: Db, id: number) {
  const [json] = await storagePathsJson(db, [await storagePathOr404(db, id)]);
  return json;
}

/**
 * `POST /:id/<action>/`: queues the repository job (409 when the directory holds no repository yet, or one
 * of that type is already queued or running on it) and answers its operation (202).
 */
async function start(c: Context<AppEnv>, type: RepositoryJobType) {
  const deps = c.get('deps');
  const storage = await storagePathOr404(deps.db, idParam(c));
  const job = await startRepositoryJob(deps, storage, type, c.get('user')?.id ?? null);
  if (!job) throw new NotFoundError();
  return c.json(operationJson(c.get('t'), job, deps.jobs?.isCancellable(job.type) ?? true), 202);
}

export const storagePathsApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { db } = c.get('deps');
    const page = paginate(c, await listStoragePaths(db));
    return c.json(page.answer(await storagePathsJson(db, page.rows)));
  })
  .post('/', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const input = await parseJson(c, storagePathSchema);
    await checkStoragePath(deps.db, input);
    const prepared = await prepareRepository(deps, input);
    const row = await insertStoragePath(deps.db, { ...storagePathColumns(input), ...prepared.columns });
    const json = await one(deps.db, row.id);
    return c.json(prepared.masterKeyHex ? { ...json, master_key: prepared.masterKeyHex } : json, 201);
  })
  .get('/:id', async (c) => c.json(await one(c.get('deps').db, idParam(c))))
  .on(['PUT', 'PATCH'], '/:id', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const id = idParam(c);
    const current = await storagePathOr404(deps.db, id);
    const schema = c.req.method === 'PUT' ? storagePathSchema : storagePathSchema.partial();
    const { name, path, storage_type, description, is_active, encrypted } = current;
    const body = await parseJson(c, schema);
    const input = { name, path, storage_type, description, is_active, encrypted, ...body };
    await checkStoragePath(deps.db, input, id);
    const prepared = await prepareRepository(deps, input, current);
    const row = await updateStoragePath(deps.db, id, { ...storagePathColumns(input), ...prepared.columns });
    if (!row) throw new NotFoundError();
    return c.json(await one(deps.db, id));
  })
  .delete('/:id', requireRole('admin'), async (c) => {
    if (!(await deleteStoragePath(c.get('deps').db, idParam(c)))) throw new NotFoundError();
    return c.body(null, 204);
  })
  .post('/:id/verify', requireRole('admin'), (c) => start(c, 'repository_verify'))
  .post('/:id/garbage_collect', requireRole('admin'), (c) => start(c, 'repository_gc'));
