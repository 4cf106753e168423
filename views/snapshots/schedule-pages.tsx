/**
 * @module views/snapshots/schedule-pages: the "Planifications de snapshots" page (the table and a link to a new
 * one) and the create/edit form page: name, VM, schedule (<ScheduleFields> with its live preview), snapshots to
 * keep, memory, quiesce, active. A refused form comes back with its errors in place.
 */
import type { SnapshotScheduleView } from '../../src/db/snapshot-schedules.js';
import { CsrfField } from '../components/csrf.js';
import { Field } from '../components/field.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { ScheduleFields } from '../schedule/fields.js';
import { ScheduleTable } from './schedule-table.js';

/** The list page. */
export function ScheduleListPage(props: { rows: SnapshotScheduleView[]; canEdit: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('snapshot_schedules.title')}>
      <p class="muted">{t('snapshot_schedules.intro')}</p>
      <ScheduleTable rows={props.rows} canEdit={props.canEdit} />
      {props.canEdit && (
        <a role="button" href="/snapshot-schedules/new" data-testid="snapshot-schedule-new">
          {t('snapshot_schedules.new')}
        </a>
      )}
    </Layout>
  );
}

export interface ScheduleFormProps {
  /** The schedule being edited; absent for a new one. */
  id?: number;
  title: string;
  vms: Array<{ id: number; name: string; server_name: string }>;
  values: Record<string, string | undefined>;
  errors?: Record<string, string[]>;
}

/** The form page. */
export function ScheduleFormPage(props: ScheduleFormProps) {
  const { t } = usePage();
  const v = props.values;
  const e = props.errors ?? {};
  const checked = (name: string) => v[name] === 'on';
  return (
    <Layout title={props.title}>
      <form
        method="post"
        action={props.id ? `/snapshot-schedules/${props.id}` : '/snapshot-schedules'}
        data-testid="snapshot-schedule-form"
      >
        <CsrfField />
        <Field
          name="name"
          label={t('snapshot_schedules.field.name')}
          value={v.name}
          error={e.name}
          required
        />
        <label>
          {t('snapshot_schedules.field.vm')}
          <select name="virtual_machine" aria-invalid={e.virtual_machine ? 'true' : undefined}>
            {props.vms.map((vm) => (
              <option value={String(vm.id)} selected={String(vm.id) === v.virtual_machine}>
                {vm.name} ({vm.server_name})
              </option>
            ))}
          </select>
          {e.virtual_machine && <small class="field-error">{e.virtual_machine[0]}</small>}
        </label>
        <ScheduleFields values={v} error={e.schedule} />
        <Field
          name="keep_last"
          type="number"
          label={t('snapshot_schedules.field.keep_last')}
          value={v.keep_last ?? '3'}
          error={e.keep_last}
        />
        <label>
          <input type="checkbox" name="memory" checked={checked('memory')} />{' '}
          {t('snapshot_schedules.field.memory')}
        </label>
        <label>
          <input type="checkbox" name="quiesce" checked={checked('quiesce')} />{' '}
          {t('snapshot_schedules.field.quiesce')}
        </label>
        <label>
          <input type="checkbox" name="is_active" checked={checked('is_active')} />{' '}
          {t('snapshot_schedules.field.is_active')}
        </label>
        <button type="submit" data-testid="snapshot-schedule-save">
          {t('snapshot_schedules.save')}
        </button>
      </form>
    </Layout>
  );
}
