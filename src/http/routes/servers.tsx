/**
 * @module http/routes/servers: the ESXi server pages: list, add, edit, delete, and the htmx actions
 * "test connection", "sync" and "trust the new certificate". A missing server is a NotFoundError; a form
 * refused by the host (InvalidInputError) is shown again with its field messages.
 */
import { type Context, Hono } from 'hono';
import { ActionResult } from '../../../views/servers/action-result.js';
import { ServerDetailPage, ServerInventory } from '../../../views/servers/detail.js';
import { ServerFormPage } from '../../../views/servers/form.js';
import { ServerListPage } from '../../../views/servers/list.js';
import { deleteServer, getServer, getServerRow, listServers, updateServer } from '../../db/esxi-servers.js';
import { listDatastores, listVirtualMachines } from '../../db/inventory.js';
import { InvalidInputError, NotFoundError } from '../../errors.js';
import {
  editServer,
  registerServer,
  serverCreateSchema,
  serverUpdateSchema,
  testConnection,
} from '../../inventory/servers.js';
import { syncInventory } from '../../inventory/sync.js';
import { fetchThumbprint, VSphereError } from '../../vsphere/index.js';
import { idParam } from '../api/ids.js';
import type { AppEnv } from '../context.js';
import { redirectWithFlash } from '../flash.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { parseForm, renderFields } from '../validation.js';

/** The public row of the `:id` server. @throws NotFoundError. */
async function serverOf(c: Context<AppEnv>) {
  const server = await getServer(c.get('deps').db, idParam(c));
  if (!server) throw new NotFoundError();
  return server;
}

/** The `:id` server with its present VMs and its datastores. @throws NotFoundError. */
async function serverWithInventory(c: Context<AppEnv>) {
  const { db } = c.get('deps');
  const server = await serverOf(c);
  const [vms, datastores] = await Promise.all([
    listVirtualMachines(db, { esxi_server: server.id }),
    listDatastores(db, server.id),
  ]);
  return { server, vms: vms.rows.map((r) => r.vm), datastores: datastores.map((r) => r.datastore) };
}

export const serverRoutes = new Hono<AppEnv>()
  .get('/', async (c) =>
    render(c, <ServerListPage servers={await listServers(c.get('deps').db)} canEdit={hasRole(c, 'admin')} />),
  )
  .get('/new', requireRole('admin'), (c) =>
    render(c, <ServerFormPage action="/servers/new" values={{ protocol: 'https' }} editing={false} />),
  )
  .post('/new', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const form = await parseForm(c, serverCreateSchema);
    const page = (errors: Record<string, string[]>) =>
      render(
        c,
        <ServerFormPage
          action="/servers/new"
          values={form.ok ? form.data : form.values}
          errors={errors}
          editing={false}
        />,
        400,
      );
    if (!form.ok) return page(form.errors);
    try {
      const id = await registerServer(deps, form.data);
      const synced = await syncInventory(deps, id).catch(() => null);
      const message = synced ? c.get('t')('servers.synced', { ...synced }) : c.get('t')('common.saved');
      return redirectWithFlash(c, `/servers/${id}`, 'success', message);
    } catch (err) {
      if (err instanceof InvalidInputError) return page(renderFields(c.get('t'), err.fields ?? {}));
      throw err;
    }
  })
  .get('/:id', async (c) => {
    const { server, vms, datastores } = await serverWithInventory(c);
    return render(
      c,
      <ServerDetailPage
        server={server}
        vms={vms}
        datastores={datastores}
        canOperate={hasRole(c, 'operator')}
        canEdit={hasRole(c, 'admin')}
      />,
    );
  })
  .get('/:id/inventory', async (c) => {
    const { server, vms, datastores } = await serverWithInventory(c);
    return render(
      c,
      <ServerInventory serverId={server.id} serverName={server.name} vms={vms} datastores={datastores} />,
    );
  })
  .get('/:id/edit', requireRole('admin'), async (c) => {
    const server = await serverOf(c);
    return render(c, <ServerFormPage action={`/servers/${server.id}/edit`} values={server} editing />);
  })
  .post('/:id/edit', requireRole('admin'), async (c) => {
    const deps = c.get('deps');
    const id = idParam(c);
    const form = await parseForm(c, serverUpdateSchema);
    const page = (errors: Record<string, string[]>) =>
      render(
        c,
        <ServerFormPage
          action={`/servers/${id}/edit`}
          values={form.ok ? form.data : form.values}
          errors={errors}
          editing
        />,
        400,
      );
    if (!form.ok) return page(form.errors);
    try {
      if (!(await editServer(deps, id, form.data))) throw new NotFoundError();
    } catch (err) {
      if (err instanceof InvalidInputError) return page(renderFields(c.get('t'), err.fields ?? {}));
      throw err;
    }
    return redirectWithFlash(c, `/servers/${id}`, 'success', c.get('t')('common.saved'));
  })
  .post('/:id/delete', requireRole('admin'), async (c) => {
    await deleteServer(c.get('deps').db, idParam(c));
    return redirectWithFlash(c, '/servers/', 'success', c.get('t')('common.deleted'));
  })
  .post('/:id/test', requireRole('operator'), async (c) => {
    const deps = c.get('deps');
    const server = await getServerRow(deps.db, idParam(c));
    if (!server) throw new NotFoundError();
    try {
      const about = await testConnection(deps, server);
      return render(
        c,
        <ActionResult
          level="success"
          message={c.get('t')('servers.test_ok', { full_name: about.full_name })}
        />,
      );
    } catch (err) {
      if (!(err instanceof VSphereError)) throw err;
      return render(c, <Failure c={c} err={err} serverId={server.id} />);
    }
  })
  .post('/:id/sync', requireRole('operator'), async (c) => {
    const id = idParam(c);
    try {
      const result = await syncInventory(c.get('deps'), id);
      c.header('HX-Trigger', 'inventory-changed');
      return render(
        c,
        <ActionResult level="success" message={c.get('t')('servers.synced', { ...result })} />,
      );
    } catch (err) {
      if (!(err instanceof VSphereError)) throw err;
      return render(c, <Failure c={c} err={err} serverId={id} />);
    }
  })
  .post('/:id/trust-certificate', requireRole('admin'), async (c) => {
    const { db, logger } = c.get('deps');
    const server = await getServerRow(db, idParam(c));
    if (server?.protocol !== 'https') throw new NotFoundError();
    const thumbprint = await fetchThumbprint(server.hostname, server.port);
    await updateServer(db, server.id, { thumbprint, connection_status: 'unknown', last_error: null });
    logger.warn({ server: server.name, thumbprint }, 'new certificate trusted by an admin');
    return redirectWithFlash(
      c,
      `/servers/${server.id}`,
      'success',
      c.get('t')('servers.certificate_trusted'),
    );
  });

/** A host's failure shown in place of the action's result, in the reader's language. */
function Failure(props: { c: Context<AppEnv>; err: VSphereError; serverId: number }) {
  const trust = props.err.code === 'CertificateMismatch' && hasRole(props.c, 'admin');
  return (
    <ActionResult
      level="error"
      message={props.c.get('t').message(props.err.detail)}
      trustUrl={trust ? `/servers/${props.serverId}/trust-certificate` : undefined}
    />
  );
}
