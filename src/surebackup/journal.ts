/**
 * @module surebackup/journal: the step log of a verification (`detailed_log`): one line per step,
 * `YYYY-MM-DD HH:MM:SS - message` in UTC, appended to the row at once so that the page shows it while it runs.
 */
import { appendVerificationLog } from '../db/verifications.js';
import type { AppDeps } from '../deps.js';

/** `2025-11-29 10:00:00` (UTC) for a date. */
export const logStamp = (date = new Date()) => date.toISOString().replace('T', ' ').slice(0, 19);

export interface Journal {
  /** Appends one timestamped line; a database failure is logged, never thrown. */
  log(message: string): Promise<void>;
}

/** A journal writing into verification `id`. */
export function createJournal(deps: Pick<AppDeps, 'db' | 'logger'>, id: number): Journal {
  return {
    async log(message) {
      const line = `${logStamp()} - ${message.replace(/\s*\n\s*/g, ' ')}\n`;
      await appendVerificationLog(deps.db, id, line).catch((err: unknown) =>
        deps.logger.warn({ verification: id, err }, 'verification log not written'),
      );
    },
  };
}
