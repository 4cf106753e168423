/** @module views/components/step-text: a job's current step in the reader's language (stored in English). */
import { stepMessage } from '../../src/backup/steps.js';
import { usePage } from '../page-context.js';

export function StepText(props: { step: string }) {
  const { t } = usePage();
  const message = stepMessage(props.step);
  return <>{message ? t(message.key, message.params) : props.step}</>;
}
