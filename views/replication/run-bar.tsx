/**
 * @module views/replication/run-bar: the live progress of a replication run (seed 000): a bar polled every
 * 500 ms in place while the run is active, then its outcome. Its state is the run's job row, so it comes back
 * after a reload or a visit to another page.
 */

import type { JobRow } from '../../src/jobs/types.js';
import { runMessage, runStatus } from '../../src/replication/run-state.js';
import { usePage } from '../page-context.js';

/** Whether a run is still going. */
export const runActive = (job: JobRow) => job.status === 'PENDING' || job.status === 'IN_PROGRESS';

/** The bar of one run; `canCancel` shows the cancel button while it runs. */
export function RunBar(props: { job: JobRow; canCancel: boolean }) {
  const { t } = usePage();
  const status = runStatus(props.job);
  const active = runActive(props.job);
  const polling = active
    ? {
        'hx-get': `/replication/runs/${props.job.id}/bar`,
        'hx-trigger': 'every 500ms',
        'hx-target': 'this',
        'hx-swap': 'outerHTML',
      }
    : {};
  const tone = status === 'error' ? 'notice-error' : status === 'completed' ? 'notice-success' : '';
  return (
    <div class={`run-bar ${tone}`} data-testid="run-bar" data-status={status} {...polling}>
      {active && <progress value={props.job.progress} max={100} />}
      <small>
        {active && <span data-testid="run-percent">{props.job.progress} % · </span>}
        <span data-testid="run-message">{t.message(runMessage(props.job))}</span>
      </small>
      {active && props.canCancel && (
        <button
          type="button"
          class="secondary outline small"
          hx-post={`/replication/runs/${props.job.id}/cancel`}
          hx-target="closest .run-bar"
          hx-swap="outerHTML"
        >
          {t('replication.cancel_run')}
        </button>
      )}
    </div>
  );
}
