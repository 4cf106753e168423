/**
 * @module http/api/esxi-servers: `/api/esxi-servers/` (seed style, trailing slashes): list, create, detail,
 * update, delete, `test_connection/`, `sync/` and `trust_certificate/`. Passwords are write-only.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { deleteServer, getServer, getServerRow, listServers, updateServer } from '../../db/esxi-servers.js';
import {
  editServer,
  registerServer,
  serverCreateSchema,
  serverUpdateSchema,
  testConnection,
} from '../../inventory/servers.js';
import { syncInventory } from '../../inventory/sync.js';
import { fetchThumbprint, VSphereError } from '../../vsphere/index.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { idParam } from './ids.js';
import { paginate } from './pagination.js';

/** A failure of the host itself: 502 with the vSphere error code, so scripts can tell them apart. */
function upstreamError(err: unknown): never {
  if (err instanceof VSphereError) {
    const status = err.code === 'CertificateMismatch' ? 409 : 502;
    throw new HTTPException(status, {
      res: Response.json({ status, message: err.message, code: err.code }, { status }),
    });
  }
  throw err;
}

async function found<T>(value: Promise<T | null>): Promise<T> {
  const row = await value;
  if (!row) throw new HTTPException(404, { message: 'Not found.' });
  return row;
}

export const esxiServersApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const page = paginate(c, await listServers(c.get('deps').db));
    return c.json(page.answer(page.rows));
  })
  .post('/', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const id = await registerServer(deps, await parseJson(c, serverCreateSchema));
    await syncInventory(deps, id).catch(() => {});
    return c.json(await getServer(deps.db, id), 201);
  })
  .get('/:id', async (c) => c.json(await found(getServer(c.get('deps').db, idParam(c)))))
  .on(['PUT', 'PATCH'], '/:id', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const id = idParam(c);
    const schema =
      c.req.method === 'PUT' ? serverCreateSchema.partial({ password: true }) : serverUpdateSchema;
    if (!(await editServer(deps, id, await parseJson(c, schema))))
      throw new HTTPException(404, { message: 'Not found.' });
    return c.json(await getServer(deps.db, id));
  })
  .delete('/:id', requireRole('admin'), async (c) => {
    if (!(await deleteServer(c.get('deps').db, idParam(c))))
      throw new HTTPException(404, { message: 'Not found.' });
    return c.body(null, 204);
  })
  .post('/:id/test_connection', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const server = await found(getServerRow(deps.db, idParam(c)));
    const about = await testConnection(deps, server).catch(upstreamError);
    return c.json({ ok: true, full_name: about.full_name, version: about.version, build: about.build });
  })
  .post('/:id/sync', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const id = idParam(c);
    await found(getServerRow(deps.db, id));
    const result = await syncInventory(deps, id).catch(upstreamError);
    return c.json(result);
  })
  .post('/:id/trust_certificate', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const server = await found(getServerRow(deps.db, idParam(c)));
    if (server.protocol !== 'https')
      throw new HTTPException(400, { message: 'This server is reached over HTTP.' });
    const thumbprint = await fetchThumbprint(server.hostname, server.port).catch(upstreamError);
    await updateServer(deps.db, server.id, { thumbprint });
    deps.logger.warn({ server: server.name, thumbprint }, 'new certificate trusted by an admin');
    return c.json(await getServer(deps.db, server.id));
  });
