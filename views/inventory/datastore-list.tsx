/** @module views/inventory/datastore-list: every datastore of every server. */
import type { DatastoreRow } from '../../src/db/inventory.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { DatastoreTable } from './datastore-table.js';

export function DatastoreListPage(props: { rows: Array<{ datastore: DatastoreRow; server_name: string }> }) {
  const { t } = usePage();
  return (
    <Layout title={t('datastores.title')}>
      <DatastoreTable rows={props.rows} showServer />
    </Layout>
  );
}
