/** @module views/inventory/vm-list: the virtual machines page, filtered by server, power state and name. */
import type { VmProtection } from '../../src/backup-jobs/index.js';
import type { EsxiServer } from '../../src/db/esxi-servers.js';
import type { VirtualMachineRow } from '../../src/db/inventory.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { VmTable } from './vm-table.js';

export interface VmFilterValues {
  esxi_server?: number;
  power_state?: string;
  search?: string;
}

export type VmRows = Array<{ vm: VirtualMachineRow; server_name: string }>;

/** The table alone: what an htmx filter request receives. */
export function VmResults(props: { rows: VmRows; protection?: Map<number, VmProtection> }) {
  return (
    <div id="vm-results">
      <VmTable rows={props.rows} showServer protection={props.protection} />
    </div>
  );
}

export function VmListPage(props: {
  rows: VmRows;
  servers: EsxiServer[];
  filter: VmFilterValues;
  protection?: Map<number, VmProtection>;
}) {
  const { t } = usePage();
  const f = props.filter;
  return (
    <Layout title={t('vms.title')}>
      <form
        class="filters grid"
        method="get"
        action="/virtual-machines/"
        hx-get="/virtual-machines/"
        hx-target="#vm-results"
        hx-swap="outerHTML"
        hx-push-url="true"
        hx-trigger="change, input delay:300ms from:#vm-search, submit"
        data-testid="vm-filters"
      >
        <select name="esxi_server" aria-label={t('vms.server')}>
          <option value="">
            {t('vms.server')}: {t('common.all')}
          </option>
          {props.servers.map((s) => (
            <option value={String(s.id)} selected={f.esxi_server === s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <select name="power_state" aria-label={t('vms.power_state')}>
          <option value="">
            {t('vms.power_state')}: {t('common.all')}
          </option>
          {(['poweredOn', 'poweredOff', 'suspended'] as const).map((p) => (
            <option value={p} selected={f.power_state === p}>
              {t(`vms.power.${p}`)}
            </option>
          ))}
        </select>
        <input
          id="vm-search"
          type="search"
          name="search"
          value={f.search ?? ''}
          placeholder={t('vms.search')}
        />
        <noscript>
          <button type="submit">{t('common.filter')}</button>
        </noscript>
      </form>
      <VmResults rows={props.rows} protection={props.protection} />
    </Layout>
  );
}
