/**
 * @module views/operations/widget: the global operations widget (bottom-right on every page): one card per
 * running or just-finished operation. The element polls `/operations/widget` and is replaced by the answer
 * (outerHTML): while something is shown it polls every second; otherwise every 10 s only (to catch jobs
 * started elsewhere: another user, a schedule) and at once on the `operations-changed` event that routes
 * starting a job send with `HX-Trigger`.
 */

import type { Child } from 'hono/jsx';
import type { JobType } from '../../src/db/schema.js';
import { operationType } from '../../src/http/api/operations-json.js';
import type { MessageKey } from '../../src/i18n/messages.js';
import type { JobRow } from '../../src/jobs/types.js';
import { Badge, type BadgeTone } from '../components/status-badge.js';
import { StepText } from '../components/step-text.js';
import { usePage } from '../page-context.js';

/** Polling period while the widget shows something (progress moves at most 4 times a second). */
export const WIDGET_POLL = '1s';
/** Polling period while it shows nothing. */
export const WIDGET_IDLE_POLL = '10s';
export const WIDGET_URL = '/operations/widget';
const CHANGED = 'operations-changed from:body';

const TYPE_KEYS: Record<JobType, MessageKey> = {
  vm_backup: 'operations.type.vm_backup',
  restore: 'operations.type.restore',
  replication: 'operations.type.replication',
  failover: 'operations.type.failover',
  verification: 'operations.type.verification',
  db_backup: 'operations.type.db_backup',
  repository_verify: 'operations.type.repository_verify',
  repository_gc: 'operations.type.repository_gc',
  backup_job: 'operations.type.backup_job',
  snapshot_create: 'operations.type.snapshot_create',
  snapshot_revert: 'operations.type.snapshot_revert',
  snapshot_remove: 'operations.type.snapshot_remove',
  ovf_export: 'operations.type.ovf_export',
  ovf_import: 'operations.type.ovf_import',
};
const STATUS_TONES: Record<JobRow['status'], BadgeTone> = {
  PENDING: 'muted',
  IN_PROGRESS: 'info',
  COMPLETED: 'ok',
  FAILED: 'error',
  CANCELLED: 'warn',
};

export interface OperationCardData {
  job: JobRow;
  /** The type may be cancelled and the user may do it (operator or admin). */
  canCancel: boolean;
}

const isActive = (job: JobRow) => job.status === 'PENDING' || job.status === 'IN_PROGRESS';
const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0);

/** The empty slot in the layout: loads the widget with the page, then whenever operations change. */
export function OperationsWidgetSlot() {
  const { user } = usePage();
  if (!user) return <div id="operations-widget" class="operations-widget" data-testid="operations-widget" />;
  return <WidgetContainer trigger={`load, every ${WIDGET_IDLE_POLL}, ${CHANGED}`} />;
}

/** The widget's fragment. @param props.operations active ones and those finished in the last seconds. */
export function OperationsWidget(props: { operations: OperationCardData[] }) {
  const polling = props.operations.length > 0;
  return (
    <WidgetContainer trigger={`every ${polling ? WIDGET_POLL : WIDGET_IDLE_POLL}, ${CHANGED}`}>
      {props.operations.map((op) => (
        <OperationCard {...op} />
      ))}
    </WidgetContainer>
  );
}

function WidgetContainer(props: { trigger: string; children?: Child }) {
  return (
    <div
      id="operations-widget"
      class="operations-widget"
      data-testid="operations-widget"
      aria-live="polite"
      hx-get={WIDGET_URL}
      hx-trigger={props.trigger}
      hx-target="this"
      // settle:0ms: the new element listens at once (no window in which an `operations-changed` is lost).
      hx-swap="outerHTML settle:0ms"
      // An `operations-changed` during a request must not be dropped (htmx's default), nor queued (a queued
      // request of a swapped-out element is never sent): the newest request wins.
      hx-sync="this:replace"
    >
      {props.children}
    </div>
  );
}

function OperationCard({ job, canCancel }: OperationCardData) {
  const { t } = usePage();
  const active = isActive(job);
  return (
    <article
      class={`operation-card operation-${job.status.toLowerCase()}`}
      data-testid="operation-card"
      data-job-id={String(job.id)}
      data-status={job.status}
      data-job-type={job.type}
      data-operation-type={operationType(job.type)}
    >
      <header>
        <strong>{t(TYPE_KEYS[job.type])}</strong> <span class="operation-target">{job.target_label}</span>{' '}
        <Badge tone={STATUS_TONES[job.status]}>{t(`operations.status.${job.status}`)}</Badge>
      </header>
      <div class="operation-progress" data-testid="operation-progress">
        <progress
          value={String(job.progress)}
          max="100"
          class={job.status === 'FAILED' ? 'danger' : undefined}
        />
        <span class="operation-percent">{job.progress} %</span>
      </div>
      {job.step && (
        <p class="operation-step" data-testid="operation-step">
          <StepText step={job.step} />
        </p>
      )}
      {job.bytes_total > 0 && (
        <small class="operation-bytes">
          {t('operations.bytes', { done: megabytes(job.bytes_done), total: megabytes(job.bytes_total) })}
        </small>
      )}
      {job.error && <p class="operation-error">{t.stored(job.error)}</p>}
      {active && job.cancel_requested && <small class="muted">{t('operations.cancelling')}</small>}
      {active && canCancel && !job.cancel_requested && (
        <button
          type="button"
          class="secondary outline small operation-cancel"
          data-testid="operation-cancel"
          hx-post={`/operations/${job.id}/cancel`}
          hx-target="#operations-widget"
          hx-swap="outerHTML"
          hx-confirm={t('operations.cancel_confirm', { name: job.target_label })}
        >
          {t('operations.cancel')}
        </button>
      )}
    </article>
  );
}
