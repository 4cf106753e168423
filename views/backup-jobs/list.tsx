/**
 * @module views/backup-jobs/list: the "Tâches de sauvegarde" page: each job with its selection in words, its
 * schedule in words, next run, last run's result, active or not, and Run now.
 */

import type { BackupJobRunRow } from '../../src/db/backup-job-runs.js';
import type { BackupJobRow } from '../../src/db/backup-jobs.js';
import { formatRunTime, scheduleWords } from '../../src/schedule/index.js';
import { CsrfField } from '../components/csrf.js';
import { formatDate } from '../components/format.js';
import { Badge } from '../components/status-badge.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { RunStatus, SelectionSummary } from './status.js';

export interface JobListRow {
  job: BackupJobRow;
  last: BackupJobRunRow | undefined;
}

/** The Run now button of a job (a form: the answer is the run's page). */
export function RunNowButton(props: { id: number }) {
  const { t } = usePage();
  return (
    <form method="post" action={`/backup-jobs/${props.id}/run`} class="inline">
      <CsrfField />
      <button type="submit" class="small" data-testid={`run-now-${props.id}`}>
        {t('backup_jobs.run_now')}
      </button>
    </form>
  );
}

export function BackupJobsPage(props: {
  rows: JobListRow[];
  serverNames: Map<number, string>;
  canRun: boolean;
}) {
  const { t, locale } = usePage();
  return (
    <Layout title={t('backup_jobs.title')}>
      <p>{t('backup_jobs.intro')}</p>
      {props.canRun && (
        <p>
          <a href="/backup-jobs/new" role="button" data-testid="new-backup-job">
            {t('backup_jobs.new')}
          </a>
        </p>
      )}
      {props.rows.length === 0 ? (
        <p data-testid="backup-jobs-empty">{t('backup_jobs.empty')}</p>
      ) : (
        <table data-testid="backup-jobs">
          <thead>
            <tr>
              <th>{t('backup_jobs.name')}</th>
              <th>{t('backup_jobs.selection')}</th>
              <th>{t('backup_jobs.schedule')}</th>
              <th>{t('backup_jobs.next_run')}</th>
              <th>{t('backup_jobs.last_run')}</th>
              <th>{t('backup_jobs.active')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.rows.map(({ job, last }) => (
              <tr data-testid={`backup-job-${job.id}`}>
                <td>
                  <a href={`/backup-jobs/${job.id}`}>{job.name}</a>
                </td>
                <td>
                  <SelectionSummary job={job} serverNames={props.serverNames} />
                </td>
                <td>{job.schedule ? scheduleWords(job.schedule, locale) : t('backup_jobs.manual_only')}</td>
                <td>
                  {job.schedule && job.next_run_at && job.is_active
                    ? formatRunTime(job.next_run_at, job.schedule, locale)
                    : '—'}
                </td>
                <td>
                  {last ? (
                    <a href={`/backup-jobs/runs/${last.id}`}>
                      <RunStatus status={last.status} /> {formatDate(last.started_at, locale, '')}
                    </a>
                  ) : (
                    t('backup_jobs.never')
                  )}
                </td>
                <td>
                  <Badge tone={job.is_active ? 'ok' : 'muted'}>
                    {t(job.is_active ? 'backup_jobs.active' : 'backup_jobs.inactive')}
                  </Badge>
                </td>
                <td>{props.canRun && <RunNowButton id={job.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
