/**
 * @module views/db-backup/card: the database backup's card, bottom-right (seed 004 "Architecture HTMX"):
 * the container answered by `POST /backup/start`, whose inner element polls `GET /backup/progress` every
 * 500 ms and swaps in the bar (percent, step); the poll that sees the end answers `HX-Trigger: done`, on
 * which the container fetches `GET /backup/result` and replaces itself with the success card (name, size
 * in MB, location; public/app.js removes it after 8 s, `data-dismiss-after`) or the error card (stays, with
 * Retry). Blue while running, green on success, red on error (public/app.css).
 */
import type { DbBackupResult } from '../../src/db-backup/job-store.js';
import type { JobRow } from '../../src/jobs/types.js';
import { Icon } from '../components/icon.js';
import { usePage } from '../page-context.js';

/** Milliseconds the success card stays (seed: "disparaît après 8 secondes"). */
export const SUCCESS_DISMISS_MS = 8000;

const isActive = (job: JobRow) => job.status === 'PENDING' || job.status === 'IN_PROGRESS';

/** Size in MB with two decimals, as the seed's "Taille: 52.45 MB". */
export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** The running backup's container: polls the bar, then loads the result on `done`. */
export function DbBackupContainer(props: { job: JobRow }) {
  const { job } = props;
  return (
    <div
      id="db-backup-card"
      class="db-backup-card db-backup-running"
      data-testid="db-backup-card"
      data-status="running"
      data-job-id={String(job.id)}
      hx-get={`/backup/result?job=${job.id}`}
      hx-trigger="done"
      hx-target="this"
      hx-swap="outerHTML"
    >
      <div
        class="db-backup-progress"
        hx-get={`/backup/progress?job=${job.id}`}
        hx-trigger="every 500ms"
        hx-target="this"
        hx-swap="innerHTML"
      >
        <DbBackupBar job={job} />
      </div>
    </div>
  );
}

/** The bar: step message, gradient fill, percent. */
export function DbBackupBar(props: { job: JobRow }) {
  const { t } = usePage();
  const { job } = props;
  const text = job.status === 'PENDING' ? t('dbbackup.queued') : t.stored(job.step) || t('dbbackup.running');
  return (
    <>
      <p class="db-backup-title">
        <Icon name="save" /> <span data-testid="db-backup-step">{text}</span>
      </p>
      <div
        class="db-backup-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={job.progress}
      >
        <div class="db-backup-fill" style={`width: ${job.progress}%`} />
      </div>
      <span class="db-backup-percent" data-testid="db-backup-percent">
        {job.progress}%
      </span>
    </>
  );
}

/** The outcome of a finished backup; the running container again while it is not finished. */
export function DbBackupResultCard(props: { job: JobRow; result: DbBackupResult | null }) {
  const { t } = usePage();
  const { job, result } = props;
  if (isActive(job)) return <DbBackupContainer job={job} />;
  if (job.status === 'COMPLETED' && result) {
    return (
      <div
        id="db-backup-card"
        class="db-backup-card db-backup-success"
        data-testid="db-backup-card"
        data-status="success"
        data-dismiss-after={String(SUCCESS_DISMISS_MS)}
        role="status"
      >
        <p class="db-backup-title">
          <Icon name="circle-check" /> {t('dbbackup.success_title')}
        </p>
        <dl class="db-backup-facts">
          <dt>{t('dbbackup.name')}</dt>
          <dd data-testid="db-backup-name">{result.name}</dd>
          <dt>{t('dbbackup.size')}</dt>
          <dd data-testid="db-backup-size">{megabytes(result.size_bytes)}</dd>
          <dt>{t('dbbackup.location')}</dt>
          <dd data-testid="db-backup-location">{result.location}</dd>
        </dl>
        <CardActions label={t('dbbackup.new')} />
      </div>
    );
  }
  const message =
    job.status === 'CANCELLED'
      ? t('dbbackup.cancelled')
      : t('dbbackup.failed', { error: t.stored(job.error) });
  return (
    <div
      id="db-backup-card"
      class="db-backup-card db-backup-error"
      data-testid="db-backup-card"
      data-status="error"
      role="alert"
    >
      <p class="db-backup-title">
        <Icon name="circle-x" /> {t('dbbackup.error_title')}
      </p>
      <p class="db-backup-message" data-testid="db-backup-error">
        {message}
      </p>
      <CardActions label={t('dbbackup.retry')} />
    </div>
  );
}

function CardActions(props: { label: string }) {
  const { t } = usePage();
  return (
    <div class="db-backup-actions">
      <button
        type="button"
        class="small"
        data-testid="db-backup-again"
        hx-post="/backup/start"
        hx-target="#db-backup-slot"
        hx-swap="innerHTML"
      >
        {props.label}
      </button>
      <button type="button" class="small secondary outline" data-dismiss-card>
        {t('dbbackup.close')}
      </button>
    </div>
  );
}
