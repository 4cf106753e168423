/**
 * @module views/backup-jobs/run: a run's page: its status, progress and a line per VM (restore point, status,
 * attempts, duration, bytes read and written, mode, error in the reader's language). The live part replaces
 * itself every second while the run is running (`GET /backup-jobs/runs/{id}/live`, outerHTML) and stops
 * polling once it has ended; Cancel asks for the run's cancellation.
 */
import type { RunListItem, RunVmLine } from '../../src/db/backup-job-runs.js';
import { CsrfField } from '../components/csrf.js';
import { formatBytes, formatDate } from '../components/format.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { RunStatus, VmStatus } from './status.js';

const seconds = (l: RunVmLine) =>
  l.started_at && l.finished_at
    ? `${Math.round((l.finished_at.getTime() - l.started_at.getTime()) / 1000)} s`
    : '—';

function VmLines(props: { lines: RunVmLine[] }) {
  const { t } = usePage();
  return (
    <table data-testid="run-vms">
      <thead>
        <tr>
          <th>{t('backup_jobs.vm.vm')}</th>
          <th>{t('backup_jobs.vm.status')}</th>
          <th>{t('backup_jobs.vm.restore_point')}</th>
          <th>{t('backup_jobs.vm.attempts')}</th>
          <th>{t('backup_jobs.vm.duration')}</th>
          <th>{t('backup_jobs.vm.read')}</th>
          <th>{t('backup_jobs.vm.written')}</th>
          <th>{t('backup_jobs.vm.mode')}</th>
          <th>{t('backup_jobs.vm.error')}</th>
        </tr>
      </thead>
      <tbody>
        {props.lines.map((l) => (
          <tr data-testid="run-vm">
            <td>{l.vm_name}</td>
            <td data-testid="run-vm-status">
              <VmStatus status={l.status} />
              {l.progress !== null && <small> {l.progress} %</small>}
            </td>
            <td>{l.vm_backup_id ? `#${l.vm_backup_id}` : '—'}</td>
            <td>{l.attempts}</td>
            <td>{seconds(l)}</td>
            <td>{l.status === 'success' ? formatBytes(l.bytes_read) : '—'}</td>
            <td>{l.status === 'success' ? formatBytes(l.bytes_written) : '—'}</td>
            <td>{l.mode ? t(`backup_jobs.vm.mode.${l.mode}`) : '—'}</td>
            <td data-testid="run-vm-error">{t.stored(l.error)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The part of the page that follows the run. */
export function RunLive(props: { run: RunListItem; lines: RunVmLine[]; canCancel: boolean }) {
  const { t, locale } = usePage();
  const { run } = props;
  const running = run.status === 'running';
  const poll = running
    ? { 'hx-get': `/backup-jobs/runs/${run.id}/live`, 'hx-trigger': 'load delay:1s', 'hx-swap': 'outerHTML' }
    : {};
  return (
    <section id="run-live" data-testid="run-live" {...poll}>
      <p>
        <RunStatus status={run.status} testid="run-status" /> {t(`backup_jobs.run.trigger.${run.trigger}`)} ·{' '}
        {t('backup_jobs.run.started')} {formatDate(run.started_at, locale, '—')} ·{' '}
        {t('backup_jobs.run.finished')} {formatDate(run.finished_at, locale, '—')}
      </p>
      <progress value={run.progress} max={100} data-testid="run-progress" />
      <p data-testid="run-message">{running ? t.stored(run.step) : t.stored(run.error)}</p>
      {running && props.canCancel && (
        <form method="post" action={`/backup-jobs/runs/${run.id}/cancel`}>
          <CsrfField />
          <button type="submit" class="secondary" data-testid="cancel-run">
            {t('backup_jobs.run.cancel')}
          </button>
        </form>
      )}
      <VmLines lines={props.lines} />
    </section>
  );
}

export function RunPage(props: { run: RunListItem; lines: RunVmLine[]; canCancel: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('backup_jobs.run.title', { id: props.run.id, name: props.run.backup_job_name })}>
      <p>
        <a href={`/backup-jobs/${props.run.backup_job_id}`}>{props.run.backup_job_name}</a>
      </p>
      <RunLive {...props} />
    </Layout>
  );
}
