/**
 * @module views/inventory/vm-detail: one VM's page: what it is, its Changed Block Tracking, its retention
 * policy with a preview, its snapshots and its snapshot schedules, and its OVF export: from the host when it is
 * powered off, else of its newest restore point, else disabled with the reason.
 */
import type { VirtualMachineRow } from '../../src/db/inventory.js';
import type { VmExportOffer } from '../../src/db/ovf-export-source.js';
import { formatBytes } from '../components/format.js';
import { Layout } from '../layout.js';
import { OvfExportButtons } from '../ovf/export-buttons.js';
import { usePage } from '../page-context.js';
import { VmScheduleSection, type VmScheduleSectionProps } from '../snapshots/vm-schedules.js';
import { SnapshotSectionLoader } from '../snapshots/vm-section.js';
import { CbtSection, type CbtSectionProps } from './vm-cbt.js';
import { RetentionSection, type RetentionSectionProps } from './vm-retention.js';

/** The page of one VM: a line of facts, then its CBT and retention sections. */
export function VmDetailPage(props: {
  vm: VirtualMachineRow;
  serverName: string;
  cbt: CbtSectionProps;
  retention: RetentionSectionProps;
  schedules: VmScheduleSectionProps;
  exportOffer: VmExportOffer;
}) {
  const { t } = usePage();
  const { vm } = props;
  return (
    <Layout title={vm.name}>
      <p>
        <a href="/virtual-machines/">{t('vms.back')}</a>
      </p>
      <p data-testid="vm-summary">
        {props.serverName} · {t(`vms.power.${vm.power_state as 'poweredOn'}`) ?? vm.power_state} ·{' '}
        {vm.guest_os || vm.guest_id} · {vm.num_cpu} {t('vms.cpu')} · {formatBytes(vm.memory_mb * 1024 * 1024)}
      </p>
      <CbtSection {...props.cbt} />
      <RetentionSection {...props.retention} />
      <SnapshotSectionLoader vmId={vm.id} />
      <VmScheduleSection {...props.schedules} />
      {props.cbt.canEdit && (
        <section data-testid="vm-ovf-export">
          <h2>{t('ovf.title')}</h2>
          <ExportOffer vmId={vm.id} offer={props.exportOffer} />
        </section>
      )}
      <div id="modal" />
    </Layout>
  );
}

/** The Export section's text and buttons for what the VM offers (see `vmExportOffer`). */
function ExportOffer(props: { vmId: number; offer: VmExportOffer }) {
  const { t } = usePage();
  const { offer } = props;
  const intro =
    offer.source === 'host'
      ? 'ovf.vm_intro_host'
      : offer.source
        ? 'ovf.vm_intro_running'
        : 'ovf.vm_no_source';
  return (
    <>
      <p class="muted" data-testid="vm-ovf-intro">
        {t(intro)}
      </p>
      <OvfExportButtons
        vmId={offer.source === 'host' ? props.vmId : undefined}
        backupId={offer.source === 'restore_point' ? offer.vm_backup_id : undefined}
      />
    </>
  );
}
