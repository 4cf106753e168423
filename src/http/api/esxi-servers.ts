/**
 * @module http/api/esxi-servers: `/api/esxi-servers/` (seed style, trailing slashes): list, create, detail,
 * update, delete, `test_connection/`, `sync/` and `trust_certificate/`. Passwords are write-only. A host's
 * failure is its VSphereError (502, 409 `CertificateMismatch`), answered by the common error handler; the
 * JSON of a server is built in esxi-servers-json.ts.
 */
import { Hono } from 'hono';
import type { Db } from '../../db/client.js';
import { deleteServer, getServer, getServerRow, listServers, updateServer } from '../../db/esxi-servers.js';
import { AppError, NotFoundError } from '../../errors.js';
import { msg } from '../../i18n/message.js';
import {
  editServer,
  registerServer,
  serverCreateSchema,
  serverUpdateSchema,
  testConnection,
} from '../../inventory/servers.js';
import { syncInventory } from '../../inventory/sync.js';
import { fetchThumbprint } from '../../vsphere/index.js';
import type { AppEnv } from '../context.js';
import { requireRole } from '../middleware/auth.js';
import { parseJson } from '../validation.js';
import { serverJson } from './esxi-servers-json.js';
import { idParam } from './ids.js';
import { paginate } from './pagination.js';

/** The public row of server `id`. @throws NotFoundError. */
async function serverOr404(db: Db, id: number) {
  const server = await getServer(db, id);
  if (!server) throw new NotFoundError();
  return server;
}

/** The full row (with the sealed password) of server `id`, to connect. @throws NotFoundError. */
async function serverRowOr404(db: Db, id: number) {
  const server = await getServerRow(db, id);
  if (!server) throw new NotFoundError();
  return server;
}

export const esxiServersApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const page = paginate(c, await listServers(c.get('deps').db));
    const t = c.get('t');
    return c.json(page.answer(page.rows.map((s) => serverJson(t, s))));
  })
  .post('/', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const id = await registerServer(deps, await parseJson(c, serverCreateSchema));
    await syncInventory(deps, id).catch(() => {});
    return c.json(serverJson(c.get('t'), await serverOr404(deps.db, id)), 201);
  })
  .get('/:id', async (c) => c.json(serverJson(c.get('t'), await serverOr404(c.get('deps').db, idParam(c)))))
  .on(['PUT', 'PATCH'], '/:id', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const id = idParam(c);
    const schema =
      c.req.method === 'PUT' ? serverCreateSchema.partial({ password: true }) : serverUpdateSchema;
    if (!(await editServer(deps, id, await parseJson(c, schema)))) throw new NotFoundError();
    return c.json(serverJson(c.get('t'), await serverOr404(deps.db, id)));
  })
  .delete('/:id', requireRole('admin'), async (c) => {
    if (!(await deleteServer(c.get('deps').db, idParam(c)))) throw new NotFoundError();
    return c.body(null, 204);
  })
  .post('/:id/test_connection', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const about = await testConnection(deps, await serverRowOr404(deps.db, idParam(c)));
    return c.json({ ok: true, full_name: about.full_name, version: about.version, build: about.build });
  })
  .post('/:id/sync', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const server = await serverRowOr404(deps.db, idParam(c));
    return c.json(await syncInventory(deps, server.id));
  })
  .post('/:id/trust_certificate', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const server = await serverRowOr404(deps.db, idParam(c));
    if (server.protocol !== 'https') throw new AppError(400, 'http_only', msg('servers.error.http_only'));
    const thumbprint = await fetchThumbprint(server.hostname, server.port);
    await updateServer(deps.db, server.id, { thumbprint });
    deps.logger.warn({ server: server.name, thumbprint }, 'new certificate trusted by an admin');
    return c.json(serverJson(c.get('t'), await serverOr404(deps.db, server.id)));
  });
