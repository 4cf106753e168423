/** @module views/replication/page: the Replication page: the list with live runs, the form slot, the modal slot. */
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { ReplicationList, type ReplicationRowData } from './list.js';

/** The whole page; `rows` from src/replication/page-data.ts. */
export function ReplicationPage(props: { rows: ReplicationRowData[]; canRun: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('replication.title')}>
      {props.canRun && (
        <button
          type="button"
          data-testid="new-replication"
          hx-get="/replication/new"
          hx-target="#replication-form-slot"
          hx-swap="innerHTML"
        >
          {t('replication.new')}
        </button>
      )}
      <div id="replication-form-slot" />
      <ReplicationList rows={props.rows} canRun={props.canRun} />
      <div id="modal" />
    </Layout>
  );
}
