/** @module views/components/step-text: a job's current step (a stored message) in the reader's language. */
import { usePage } from '../page-context.js';

/** @param step the job row's `step` column: a stored message, or an older row's text shown as stored. */
export function StepText(props: { step: string }) {
  const { t } = usePage();
  return <>{t.stored(props.step)}</>;
}
