/**
 * @module views/ovf/export-buttons: the Export buttons (OVF, OVA) of a restore point in the backup history, and of
 * a VM on its page (from its host when it is powered off, else its newest completed restore point).
 */
import { usePage } from '../page-context.js';

const LABELS = {
  restore_point: { ovf: 'ovf.export', ova: 'ovf.export_ova' },
  host: { ovf: 'ovf.export_host', ova: 'ovf.export_host_ova' },
} as const;

/**
 * Starts an export (`POST /ovf-exports/start`), then shows the Exports page. Give `backupId` (a restore point)
 * or `vmId` (the VM from its host); neither: the buttons are disabled.
 */
export function OvfExportButtons(props: { backupId?: number; vmId?: number }) {
  const { t } = usePage();
  const labels = LABELS[props.vmId ? 'host' : 'restore_point'];
  const disabled = !props.vmId && !props.backupId;
  const button = (format: 'ovf' | 'ova') => (
    <button
      type="button"
      class="secondary outline small"
      hx-post="/ovf-exports/start"
      hx-vals={JSON.stringify({ vm_backup: props.backupId, virtual_machine: props.vmId, format })}
      hx-swap="none"
      disabled={disabled}
      data-testid={`ovf-export-${format}`}
    >
      {t(labels[format])}
    </button>
  );
  return (
    <>
      {button('ovf')}
      {button('ova')}
    </>
  );
}
