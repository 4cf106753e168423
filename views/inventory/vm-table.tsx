/** @module views/inventory/vm-table: VMs as a table (name, server, power, guest OS, CPU, memory, disks). */
import type { VmProtection } from '../../src/backup-jobs/index.js';
import type { VirtualMachineRow } from '../../src/db/inventory.js';
import { ProtectionCell } from '../backup-jobs/protection.js';
import { formatBytes } from '../components/format.js';
import { Badge } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

const POWER_TONE = { poweredOn: 'ok', poweredOff: 'muted', suspended: 'warn' } as const;

export function VmTable(props: {
  rows: Array<{ vm: VirtualMachineRow; server_name: string }>;
  showServer?: boolean;
  /** Each VM's protection by backup jobs (a VM absent is not covered); no column when not given. */
  protection?: Map<number, VmProtection> | undefined;
}) {
  const { t } = usePage();
  if (props.rows.length === 0) return <p class="muted">{t('vms.empty')}</p>;
  return (
    <table data-testid="vms-table">
      <thead>
        <tr>
          <th>{t('common.name')}</th>
          {props.showServer && <th>{t('vms.server')}</th>}
          <th>{t('vms.power_state')}</th>
          <th>{t('vms.guest_os')}</th>
          <th>{t('vms.cpu')}</th>
          <th>{t('vms.memory')}</th>
          <th>{t('vms.disks')}</th>
          <th>{t('vms.datastore')}</th>
          <th>{t('vms.snapshots')}</th>
          {props.protection && <th>{t('protection.column')}</th>}
        </tr>
      </thead>
      <tbody>
        {props.rows.map(({ vm, server_name }) => {
          const power = vm.power_state as keyof typeof POWER_TONE;
          return (
            <tr data-testid="vm-row">
              <td data-testid="vm-name">
                <a href={`/virtual-machines/${vm.id}`}>{vm.name}</a>
              </td>
              {props.showServer && <td>{server_name}</td>}
              <td>
                <Badge tone={POWER_TONE[power] ?? 'muted'}>{t(`vms.power.${power}`) ?? vm.power_state}</Badge>
              </td>
              <td>{vm.guest_os || vm.guest_id}</td>
              <td>{vm.num_cpu}</td>
              <td>{formatBytes(vm.memory_mb * 1024 * 1024)}</td>
              <td>
                {vm.disks.length} · {formatBytes(vm.disks.reduce((sum, d) => sum + d.capacity_bytes, 0))}
              </td>
              <td>{vm.datastore}</td>
              <td>{vm.snapshots.length}</td>
              {props.protection && (
                <td>
                  <ProtectionCell protection={props.protection.get(vm.id)} />
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
