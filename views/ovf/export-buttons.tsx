/** @module views/ovf/export-buttons: the Export buttons of a restore point in the backup history (OVF, OVA). */
import { usePage } from '../page-context.js';

/** Starts an export of the restore point (`POST /ovf-exports/start`), then shows the Exports page. */
export function OvfExportButtons(props: { backupId: number }) {
  const { t } = usePage();
  const button = (format: 'ovf' | 'ova') => (
    <button
      type="button"
      class="secondary outline small"
      hx-post="/ovf-exports/start"
      hx-vals={JSON.stringify({ vm_backup: props.backupId, format })}
      hx-swap="none"
      data-testid={`ovf-export-${format}`}
    >
      {t(format === 'ovf' ? 'ovf.export' : 'ovf.export_ova')}
    </button>
  );
  return (
    <>
      {button('ovf')}
      {button('ova')}
    </>
  );
}
