/**
 * @module lab-network/journal: writes what the lab network did into the log of the test that uses it: a
 * failover event's step log (step `lab_network`) or a verification's `detailed_log`. Used at acquire, release
 * and by the sweep (which logs a removal into the log of the last test that left the network).
 */
import { logFailoverStep } from '../db/failover-events.js';
import type { LabNetworkUserInput } from '../db/lab-networks.js';
import type { AppDeps } from '../deps.js';
import type { Message } from '../i18n/message.js';
import { createJournal } from '../surebackup/journal.js';

/** A failover step or verification line; a database failure is logged, never thrown. */
export async function logToUser(
  deps: Pick<AppDeps, 'db' | 'logger'>,
  user: Pick<LabNetworkUserInput, 'kind' | 'owner_id'>,
  message: Message,
  ok = true,
): Promise<void> {
  if (user.kind === 'verification') {
    await createJournal(deps, user.owner_id).log(message);
    return;
  }
  const step = { at: new Date().toISOString(), step: 'lab_network', message, ok };
  await logFailoverStep(deps.db, user.owner_id, step).catch((err: unknown) =>
    deps.logger.warn({ failover_event: user.owner_id, err }, 'failover step not written'),
  );
}
