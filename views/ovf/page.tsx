/** @module views/ovf/page: the "Exports OVF" page: what an export is, the table of exports, the Import dialog's slot. */
import type { OvfExportItem } from '../../src/db/ovf-exports.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { OvfExportTable } from './table.js';

/** The page (`GET /ovf-exports/`). */
export function OvfExportsPage(props: { rows: OvfExportItem[]; canCancel: boolean; canDownload: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('ovf.title')}>
      <p class="muted">{t('ovf.intro')}</p>
      <OvfExportTable {...props} />
      <div id="modal" />
    </Layout>
  );
}
