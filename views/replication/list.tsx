/**
 * @module views/replication/list: the replications with their status, last run, size and next run, the
 * live bar of a running (or just finished) run, and the actions: start, pause or resume, edit, failover,
 * delete. Refreshes itself on `replications-changed` (sent by the actions' routes and by a bar that ends).
 */
import type { ReplicationView } from '../../src/db/replications.js';
import type { JobRow } from '../../src/jobs/types.js';
import { formatDate } from '../components/format.js';
import { Icon } from '../components/icon.js';
import { Badge, type BadgeTone } from '../components/status-badge.js';
import { usePage } from '../page-context.js';
import { RunBar, runActive } from './run-bar.js';

const TONE: Record<ReplicationView['status'], BadgeTone> = {
  active: 'ok',
  paused: 'muted',
  error: 'error',
  syncing: 'info',
};

export interface ReplicationRowData {
  replication: ReplicationView;
  /** The latest run: shown while it runs and for two minutes after. */
  run: JobRow | null;
}

const recent = (job: JobRow) =>
  runActive(job) || (!!job.finished_at && Date.now() - job.finished_at.getTime() < 120_000);

/** The table of replications (`rows`); `canRun` shows the actions (operators and admins). */
export function ReplicationList(props: { rows: ReplicationRowData[]; canRun: boolean }) {
  const { t, locale } = usePage();
  return (
    <section
      id="replication-list"
      hx-get="/replication/list"
      hx-trigger="replications-changed from:body"
      hx-target="this"
      hx-swap="outerHTML"
    >
      {props.rows.length === 0 ? (
        <p class="muted">{t('replication.empty')}</p>
      ) : (
        <table data-testid="replication-table">
          <thead>
            <tr>
              <th>{t('replication.name')}</th>
              <th>{t('replication.vm')}</th>
              <th>{t('replication.status')}</th>
              <th>{t('replication.last_run')}</th>
              <th>{t('replication.size')}</th>
              <th>{t('replication.next_run')}</th>
              <th>{t('replication.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map(({ replication: r, run }) => (
              <tr data-testid="replication-row" data-replication-id={String(r.id)}>
                <td>
                  {r.name}
                  <br />
                  <small class="muted">
                    {r.source_server_name} <Icon name="arrow-right" /> {r.destination_server_name} ·{' '}
                    {t(`replication.mode.${r.failover_mode}`)}
                  </small>
                </td>
                <td>{r.vm_name}</td>
                <td>
                  <span title={r.last_error ? t.stored(r.last_error) : undefined}>
                    <Badge tone={TONE[r.status]} testid="replication-status">
                      {t(`replication.status.${r.status}`)}
                    </Badge>
                  </span>
                  {r.last_error && (
                    <small class="field-error" data-testid="replication-error">
                      {t.stored(r.last_error)}
                    </small>
                  )}
                </td>
                <td>{formatDate(r.last_replication_at, locale, t('replication.never'))}</td>
                <td>{r.last_replication_at ? `${r.total_replicated_size_mb.toFixed(1)} MB` : '—'}</td>
                <td>{r.status === 'paused' ? '—' : formatDate(r.next_run_at, locale, '—')}</td>
                <td>
                  {props.canRun && <Actions r={r} running={!!run && runActive(run)} />}
                  {run && recent(run) && <RunBar job={run} canCancel={props.canRun} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Actions(props: { r: ReplicationView; running: boolean }) {
  const { t } = usePage();
  const { r } = props;
  const post = (action: string) => ({
    'hx-post': `/replication/${r.id}/${action}`,
    'hx-target': '#modal',
    'hx-swap': 'innerHTML',
  });
  return (
    <div class="row-actions">
      <button
        type="button"
        class="small"
        data-testid="start-replication"
        disabled={props.running || r.status === 'paused'}
        hx-confirm={t('replication.confirm_start', { vm: r.vm_name })}
        {...post('start')}
      >
        {t('replication.start')}
      </button>
      {r.status === 'paused' ? (
        <button type="button" class="secondary small" data-testid="resume-replication" {...post('resume')}>
          {t('replication.resume')}
        </button>
      ) : (
        <button type="button" class="secondary small" data-testid="pause-replication" {...post('pause')}>
          {t('replication.pause')}
        </button>
      )}
      <button
        type="button"
        class="secondary outline small"
        hx-get={`/replication/${r.id}/edit`}
        hx-target="#replication-form-slot"
        hx-swap="innerHTML"
      >
        {t('replication.edit')}
      </button>
      <button
        type="button"
        class="secondary outline small"
        data-testid="failover-replication"
        disabled={!r.replica_vm_moref}
        hx-get={`/replication/${r.id}/failover`}
        hx-target="#modal"
        hx-swap="innerHTML"
      >
        {t('replication.failover')}
      </button>
      <button
        type="button"
        class="contrast outline small"
        data-testid="delete-replication"
        hx-confirm={t('replication.confirm_delete', { name: r.name })}
        {...post('delete')}
      >
        {t('replication.delete')}
      </button>
    </div>
  );
}
