/**
 * @module views/ovf/export-buttons: the Export buttons (OVF, OVA) of a restore point in the backup history, and of
 * a VM on its page (its newest completed restore point).
 */
import { usePage } from '../page-context.js';

/** Starts an export (`POST /ovf-exports/start`), then shows the Exports page. Give `backupId` or `vmId`. */
export function OvfExportButtons(props: { backupId?: number; vmId?: number }) {
  const { t } = usePage();
  const button = (format: 'ovf' | 'ova') => (
    <button
      type="button"
      class="secondary outline small"
      hx-post="/ovf-exports/start"
      hx-vals={JSON.stringify({ vm_backup: props.backupId, virtual_machine: props.vmId, format })}
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
