/** @module views/inventory/datastore-table: datastores with capacity, free space and a usage bar. */
import type { DatastoreRow } from '../../src/db/inventory.js';
import { formatBytes, percent } from '../components/format.js';
import { usePage } from '../page-context.js';

export function DatastoreTable(props: {
  rows: Array<{ datastore: DatastoreRow; server_name: string }>;
  showServer?: boolean;
}) {
  const { t } = usePage();
  if (props.rows.length === 0) return <p class="muted">{t('datastores.empty')}</p>;
  return (
    <table data-testid="datastores-table">
      <thead>
        <tr>
          <th>{t('common.name')}</th>
          {props.showServer && <th>{t('vms.server')}</th>}
          <th>{t('datastores.type')}</th>
          <th>{t('datastores.capacity')}</th>
          <th>{t('datastores.free')}</th>
          <th>{t('datastores.used')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map(({ datastore: d, server_name }) => {
          const used = percent(d.capacity_bytes - d.free_bytes, d.capacity_bytes);
          return (
            <tr data-testid="datastore-row">
              <td data-testid="datastore-name">{d.name}</td>
              {props.showServer && <td>{server_name}</td>}
              <td>{d.type}</td>
              <td>{formatBytes(d.capacity_bytes)}</td>
              <td>{formatBytes(d.free_bytes)}</td>
              <td>
                <progress value={used} max={100} class={used >= 90 ? 'danger' : undefined} /> {used} %
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
