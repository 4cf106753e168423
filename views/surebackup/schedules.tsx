/**
 * @module views/surebackup/schedules: verification schedules: the list (frequency, next run, toggle, delete) and
 * the form to add one. Swapped as a whole after each change.
 */
import { TEST_TYPES, VERIFICATION_FREQUENCIES, VERIFICATION_SOURCES } from '../../src/db/schema.js';
import type { ScheduleListItem } from '../../src/db/verification-schedules.js';
import { Field } from '../components/field.js';
import { formatDate } from '../components/format.js';
import { Badge } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

export interface ScheduleChoices {
  vms: Array<{ id: number; name: string; server_name: string }>;
  servers: Array<{ id: number; name: string }>;
}

export function ScheduleSection(props: {
  schedules: ScheduleListItem[];
  choices: ScheduleChoices;
  canEdit: boolean;
  errors?: Record<string, string[]>;
  values?: Record<string, string>;
}) {
  const { t, locale } = usePage();
  const e = props.errors ?? {};
  const v = props.values ?? {};
  return (
    <section id="sb-schedules">
      <h2>{t('surebackup.schedules')}</h2>
      {props.schedules.length === 0 ? (
        <p class="muted">{t('surebackup.schedules_empty')}</p>
      ) : (
        <table data-testid="schedule-list">
          <thead>
            <tr>
              <th>{t('surebackup.schedule_name')}</th>
              <th>{t('surebackup.schedule_vm')}</th>
              <th>{t('surebackup.server')}</th>
              <th>{t('surebackup.frequency')}</th>
              <th>{t('surebackup.test_type')}</th>
              <th>{t('surebackup.next_run')}</th>
              <th>{t('common.status')}</th>
              <th>{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.schedules.map((s) => (
              <tr data-testid="schedule-row">
                <td>{s.name}</td>
                <td>{s.vm_name ?? t('surebackup.schedule_all_vms')}</td>
                <td>{s.server_name}</td>
                <td>
                  {t(`surebackup.frequency.${s.frequency}`)}
                  {s.source === 'ovf_export' && (
                    <small class="muted"> {t('surebackup.schedule_source.ovf_export')}</small>
                  )}
                </td>
                <td>{t(`surebackup.type.${s.test_type}`)}</td>
                <td>{s.frequency === 'after_backup' ? '—' : formatDate(s.next_run_at, locale, '—')}</td>
                <td>
                  <Badge tone={s.is_active ? 'ok' : 'muted'}>
                    {t(s.is_active ? 'surebackup.active' : 'surebackup.inactive')}
                  </Badge>
                </td>
                <td class="actions">
                  {props.canEdit && (
                    <>
                      <button
                        type="button"
                        class="secondary outline small"
                        hx-post={`/surebackup/schedules/${s.id}/toggle`}
                        hx-target="#sb-schedules"
                        hx-swap="outerHTML"
                        data-testid="schedule-toggle"
                      >
                        {t(s.is_active ? 'surebackup.disable' : 'surebackup.enable')}
                      </button>
                      <button
                        type="button"
                        class="secondary outline small"
                        hx-post={`/surebackup/schedules/${s.id}/delete`}
                        hx-confirm={t('surebackup.schedule_delete_confirm', { name: s.name })}
                        hx-target="#sb-schedules"
                        hx-swap="outerHTML"
                      >
                        {t('surebackup.delete')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canEdit && props.choices.servers.length > 0 && (
        <form
          hx-post="/surebackup/schedules"
          hx-target="#sb-schedules"
          hx-swap="outerHTML"
          class="grid-form"
          data-testid="schedule-form"
        >
          {e._ && (
            <p class="form-error" role="alert">
              {e._[0]}
            </p>
          )}
          <Field name="name" label={t('surebackup.schedule_name')} value={v.name} error={e.name} required />
          <label>
            {t('surebackup.schedule_vm')}
            <select name="virtual_machine">
              <option value="">{t('surebackup.schedule_all_vms')}</option>
              {props.choices.vms.map((vm) => (
                <option value={String(vm.id)} selected={v.virtual_machine === String(vm.id)}>
                  {vm.name} ({vm.server_name})
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('surebackup.server')}
            <select name="esxi_server">
              {props.choices.servers.map((s) => (
                <option value={String(s.id)} selected={v.esxi_server === String(s.id)}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('surebackup.frequency')}
            <select name="frequency">
              {VERIFICATION_FREQUENCIES.map((f) => (
                <option value={f} selected={v.frequency === f}>
                  {t(`surebackup.frequency.${f}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('surebackup.schedule_source')}
            <select name="source">
              {VERIFICATION_SOURCES.map((source) => (
                <option value={source} selected={v.source === source}>
                  {t(`surebackup.schedule_source.${source}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('surebackup.test_type')}
            <select name="test_type">
              {TEST_TYPES.map((type) => (
                <option value={type} selected={v.test_type === type}>
                  {t(`surebackup.type.${type}`)}
                </option>
              ))}
            </select>
          </label>
          <Field
            name="test_network"
            label={t('surebackup.network')}
            value={v.test_network ?? 'VM Network Isolated'}
            error={e.test_network}
            required
          />
          <Field
            name="test_datastore"
            label={t('surebackup.datastore')}
            value={v.test_datastore}
            error={e.test_datastore}
          />
          <footer class="form-actions">
            <button type="submit" data-testid="schedule-submit">
              {t('surebackup.add_schedule')}
            </button>
          </footer>
        </form>
      )}
    </section>
  );
}
