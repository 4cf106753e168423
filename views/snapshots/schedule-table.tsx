/**
 * @module views/snapshots/schedule-table: snapshot schedules as a table (the list page and a VM's section):
 * name, VM, schedule in words, next slot, snapshots kept, active, last error; for operators, edit and delete.
 */
import type { SnapshotScheduleView } from '../../src/db/snapshot-schedules.js';
import { formatRunTime, scheduleWords } from '../../src/schedule/index.js';
import { Badge } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

/** The table, or the empty message. */
export function ScheduleTable(props: { rows: SnapshotScheduleView[]; canEdit: boolean; showVm?: boolean }) {
  const { t, locale } = usePage();
  if (props.rows.length === 0)
    return <p data-testid="snapshot-schedules-empty">{t('snapshot_schedules.empty')}</p>;
  return (
    <table data-testid="snapshot-schedules">
      <thead>
        <tr>
          <th>{t('snapshot_schedules.col.name')}</th>
          {props.showVm !== false && <th>{t('snapshot_schedules.col.vm')}</th>}
          <th>{t('snapshot_schedules.col.schedule')}</th>
          <th>{t('snapshot_schedules.col.next_run')}</th>
          <th>{t('snapshot_schedules.col.keep')}</th>
          <th>{t('snapshot_schedules.col.active')}</th>
          <th>{t('snapshot_schedules.col.last_error')}</th>
          {props.canEdit && <th />}
        </tr>
      </thead>
      <tbody>
        {props.rows.map(({ schedule: s, vm_name }) => (
          <tr data-testid="snapshot-schedule-row">
            <td>{s.name}</td>
            {props.showVm !== false && (
              <td>
                <a href={`/virtual-machines/${s.virtual_machine_id}`}>{vm_name}</a>
              </td>
            )}
            <td>{scheduleWords(s.schedule, locale)}</td>
            <td>{s.is_active && s.next_run_at ? formatRunTime(s.next_run_at, s.schedule, locale) : '—'}</td>
            <td>{s.keep_last}</td>
            <td>
              <Badge tone={s.is_active ? 'ok' : 'muted'}>
                {t(s.is_active ? 'snapshot_schedules.yes' : 'snapshot_schedules.no')}
              </Badge>
            </td>
            <td class="form-error">{s.last_error ? t.stored(s.last_error) : ''}</td>
            {props.canEdit && (
              <td class="row-actions">
                <a href={`/snapshot-schedules/${s.id}/edit`} data-testid="snapshot-schedule-edit">
                  {t('snapshot_schedules.edit')}
                </a>{' '}
                <button
                  type="button"
                  class="secondary outline"
                  hx-post={`/snapshot-schedules/${s.id}/delete`}
                  hx-confirm={t('snapshot_schedules.delete_confirm')}
                  data-testid="snapshot-schedule-delete"
                >
                  {t('snapshot_schedules.delete')}
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
