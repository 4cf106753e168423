/**
 * @module views/replication/run-bar: the live progress of a replication run (seed 000): a bar polled every
 * 500 ms in place while the run is active, then its outcome. Its state is the run's job row, so it comes back
 * after a reload or a visit to another page.
 */

import type { JobRow } from '../../src/jobs/types.js';
import { runProgressJson } from '../../src/replication/json.js';
import { usePage } from '../page-context.js';

/** Whether a run is still going. */
export const runActive = (job: JobRow) => job.status === 'PENDING' || job.status === 'IN_PROGRESS';

/** The bar of one run; `canCancel` shows the cancel button while it runs. */
export function RunBar(props: { job: JobRow; canCancel: boolean }) {
  const { t } = usePage();
  const p = runProgressJson(props.job, t);
  const active = runActive(props.job);
  const polling = active
    ? {
        'hx-get': `/replication/runs/${props.job.id}/bar`,
        'hx-trigger': 'every 500ms',
        'hx-target': 'this',
        'hx-swap': 'outerHTML',
      }
    : {};
  const tone = p.status === 'error' ? 'notice-error' : p.status === 'completed' ? 'notice-success' : '';
  return (
    <div class={`run-bar ${tone}`} data-testid="run-bar" data-status={p.status} {...polling}>
      {active && <progress value={p.progress} max={100} />}
      <small>
        {active && <span data-testid="run-percent">{p.progress} % · </span>}
        <span data-testid="run-message">{p.message}</span>
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
