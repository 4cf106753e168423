/**
 * @module views/backup-jobs/detail: a backup job's page: its settings in words, Run now, Edit, Delete, and its
 * runs, newest first (trigger, status, start, end), each linking to the run's page.
 */

import type { RunListItem } from '../../src/db/backup-job-runs.js';
import type { BackupJobRow } from '../../src/db/backup-jobs.js';
import { formatRunTime, nextRuns, scheduleWords } from '../../src/schedule/index.js';
import { CsrfField } from '../components/csrf.js';
import { formatDate } from '../components/format.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { RunNowButton } from './list.js';
import { RunStatus, SelectionSummary } from './status.js';

export function BackupJobPage(props: {
  job: BackupJobRow;
  runs: RunListItem[];
  serverNames: Map<number, string>;
  canRun: boolean;
}) {
  const { t, locale } = usePage();
  const { job } = props;
  return (
    <Layout title={job.name}>
      <p>{job.description}</p>
      <p>
        <SelectionSummary job={job} serverNames={props.serverNames} />
      </p>
      <p data-testid="job-schedule">
        {job.schedule ? scheduleWords(job.schedule, locale) : t('backup_jobs.manual_only')}
      </p>
      {job.schedule && (
        <ul data-testid="job-next-runs">
          {nextRuns(job.schedule, 3).map((d) => (
            <li>{formatRunTime(d, job.schedule ?? { preset: 'daily', timezone: 'UTC' }, locale)}</li>
          ))}
        </ul>
      )}
      {props.canRun && (
        <div class="actions">
          <RunNowButton id={job.id} />
          <a href={`/backup-jobs/${job.id}/edit`} role="button" class="secondary small">
            {t('backup_jobs.edit')}
          </a>
          <form
            method="post"
            action={`/backup-jobs/${job.id}/delete`}
            class="inline"
            data-confirm={t('backup_jobs.delete_confirm')}
          >
            <CsrfField />
            <button type="submit" class="secondary outline small">
              {t('backup_jobs.delete')}
            </button>
          </form>
        </div>
      )}
      <h2>{t('backup_jobs.runs')}</h2>
      {props.runs.length === 0 ? (
        <p>{t('backup_jobs.runs.empty')}</p>
      ) : (
        <table data-testid="job-runs">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('backup_jobs.run.trigger')}</th>
              <th>{t('backup_jobs.vm.status')}</th>
              <th>{t('backup_jobs.run.started')}</th>
              <th>{t('backup_jobs.run.finished')}</th>
              <th>{t('backup_jobs.vm.error')}</th>
            </tr>
          </thead>
          <tbody>
            {props.runs.map((run) => (
              <tr>
                <td>
                  <a href={`/backup-jobs/runs/${run.id}`}>{run.id}</a>
                </td>
                <td>{t(`backup_jobs.run.trigger.${run.trigger}`)}</td>
                <td>
                  <RunStatus status={run.status} />
                </td>
                <td>{formatDate(run.started_at, locale, '—')}</td>
                <td>{formatDate(run.finished_at, locale, '—')}</td>
                <td>{t.stored(run.error)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
