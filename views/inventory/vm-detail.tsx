/**
 * @module views/inventory/vm-detail: one VM's page: what it is, its Changed Block Tracking, and its retention
 * policy with a preview.
 */
import type { VirtualMachineRow } from '../../src/db/inventory.js';
import { formatBytes } from '../components/format.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { CbtSection, type CbtSectionProps } from './vm-cbt.js';
import { RetentionSection, type RetentionSectionProps } from './vm-retention.js';

/** The page of one VM: a line of facts, then its CBT and retention sections. */
export function VmDetailPage(props: {
  vm: VirtualMachineRow;
  serverName: string;
  cbt: CbtSectionProps;
  retention: RetentionSectionProps;
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
    </Layout>
  );
}
