/**
 * @module replication/run-state: the state of a replication run (its job row) as seed 000's progress polling
 * names it (starting, running, completed, error, cancelled) and the message that says it, for the API and
 * the run bar alike.
 * @see ../shared/seeds/000_51d0a8809ce1434c.txt (progress polling)
 */
import { type Message, type MessageParam, msg, readStored } from '../i18n/message.js';
import type { JobRow } from '../jobs/types.js';

/** The run statuses of seed 000's polling. */
export type RunStatus = 'starting' | 'running' | 'completed' | 'error' | 'cancelled';

const RUN_STATUS: Record<JobRow['status'], RunStatus> = {
  PENDING: 'starting',
  IN_PROGRESS: 'running',
  COMPLETED: 'completed',
  FAILED: 'error',
  CANCELLED: 'cancelled',
};

/** A run's status from its job's. */
export const runStatus = (job: Pick<JobRow, 'status'>): RunStatus => RUN_STATUS[job.status];

/** A stored column as a message parameter: its message, or an older row's text as stored. */
function storedParam(text: string | null): MessageParam {
  const stored = readStored(text);
  if (!stored) return '?';
  return 'key' in stored ? msg(stored.key, stored.params) : stored.text;
}

/** What a run is doing or how it ended: its current step while it runs, its outcome after. */
export function runMessage(job: JobRow): Message {
  const status = runStatus(job);
  if (status === 'error') return msg('replication.run.error', { error: storedParam(job.error) });
  if (status === 'cancelled') return msg('replication.run.cancelled');
  if (status === 'completed')
    return msg('replication.run.completed', { size: `${(job.bytes_done / 1_048_576).toFixed(1)} MiB` });
  const step = readStored(job.step);
  if (!step) return msg('replication.run.starting');
  return 'key' in step ? msg(step.key, step.params) : msg('replication.run.step_text', { text: step.text });
}
