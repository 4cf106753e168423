/** @module views/servers/detail: one server: identity, certificate, actions (test, sync, edit, delete), inventory. */
import type { EsxiServer } from '../../src/db/esxi-servers.js';
import type { DatastoreRow, VirtualMachineRow } from '../../src/db/inventory.js';
import { CsrfField } from '../components/csrf.js';
import { formatDate } from '../components/format.js';
import { DatastoreTable } from '../inventory/datastore-table.js';
import { VmTable } from '../inventory/vm-table.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { ActionResult } from './action-result.js';
import { ConnectionBadge } from './connection-badge.js';

export function ServerDetailPage(props: {
  server: EsxiServer;
  vms: VirtualMachineRow[];
  datastores: DatastoreRow[];
  canOperate: boolean;
  canEdit: boolean;
}) {
  const { t, locale } = usePage();
  const s = props.server;
  return (
    <Layout title={s.name}>
      <dl class="facts" data-testid="server-facts">
        <dt>{t('servers.hostname')}</dt>
        <dd>
          {s.protocol}://{s.hostname}:{s.port}
        </dd>
        <dt>{t('servers.version')}</dt>
        <dd>{s.full_name ?? '—'}</dd>
        <dt>{t('servers.username')}</dt>
        <dd>{s.username}</dd>
        <dt>{t('servers.connection')}</dt>
        <dd>
          <ConnectionBadge server={s} />{' '}
          {s.last_error && <small class="muted">{t.stored(s.last_error)}</small>}
        </dd>
        {s.thumbprint && (
          <>
            <dt>{t('servers.thumbprint')}</dt>
            <dd>
              <code class="thumbprint">{s.thumbprint}</code>
            </dd>
          </>
        )}
        <dt>{t('servers.last_sync')}</dt>
        <dd>{formatDate(s.last_sync_at, locale, t('common.never'))}</dd>
      </dl>
      <div class="actions" role="group">
        {props.canOperate && (
          <>
            <button
              type="button"
              class="secondary"
              hx-post={`/servers/${s.id}/test`}
              hx-target="#action-result"
              hx-swap="outerHTML"
              hx-disabled-elt="this"
              data-testid="test-connection"
            >
              {t('servers.test')}
            </button>
            <button
              type="button"
              hx-post={`/servers/${s.id}/sync`}
              hx-target="#action-result"
              hx-swap="outerHTML"
              hx-disabled-elt="this"
              data-testid="sync-server"
            >
              {t('servers.sync')}
            </button>
          </>
        )}
        {props.canEdit && (
          <>
            <a href={`/servers/${s.id}/edit`} role="button" class="secondary outline">
              {t('common.edit')}
            </a>
            <form
              method="post"
              action={`/servers/${s.id}/delete`}
              class="inline"
              data-confirm={t('common.confirm_delete', { name: s.name })}
            >
              <CsrfField />
              <button type="submit" class="contrast outline">
                {t('common.delete')}
              </button>
            </form>
          </>
        )}
      </div>
      <ActionResult />
      <ServerInventory serverId={s.id} serverName={s.name} vms={props.vms} datastores={props.datastores} />
    </Layout>
  );
}

/** The server's VMs and datastores; re-fetched in place when a sync announces `inventory-changed`. */
export function ServerInventory(props: {
  serverId: number;
  serverName: string;
  vms: VirtualMachineRow[];
  datastores: DatastoreRow[];
}) {
  const { t } = usePage();
  return (
    <section
      id="server-inventory"
      hx-get={`/servers/${props.serverId}/inventory`}
      hx-trigger="inventory-changed from:body"
      hx-target="this"
      hx-swap="outerHTML"
    >
      <h2>{t('vms.title')}</h2>
      <VmTable rows={props.vms.map((vm) => ({ vm, server_name: props.serverName }))} />
      <h2>{t('datastores.title')}</h2>
      <DatastoreTable
        rows={props.datastores.map((datastore) => ({ datastore, server_name: props.serverName }))}
      />
    </section>
  );
}
