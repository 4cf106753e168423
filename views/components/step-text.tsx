/** @module views/components/step-text: a job's current step in the reader's language (stored in English). */
import type { JobType } from '../../src/db/schema.js';
import { stepMessage } from '../../src/jobs/steps.js';
import { usePage } from '../page-context.js';

export function StepText(props: { step: string; type?: JobType }) {
  const { t } = usePage();
  const message = stepMessage(props.step, props.type);
  return <>{message ? t(message.key, message.params) : props.step}</>;
}
