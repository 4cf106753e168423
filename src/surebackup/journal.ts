/**
 * @module surebackup/journal: the step log of a verification (`detailed_log`): one line per step,
 * `YYYY-MM-DD HH:MM:SS - <message>` in UTC, the message stored as a key and parameters (src/i18n/message.ts),
 * appended to the row at once so that the page shows it while it runs. `renderLog` shows it in the reader's
 * language; a line written before messages were keys is shown as stored.
 */
import { appendVerificationLog } from '../db/verifications.js';
import type { AppDeps } from '../deps.js';
import { type Message, storeMessage } from '../i18n/message.js';
import type { Translate } from '../i18n/translate.js';

/** `2025-11-29 10:00:00` (UTC) for a date. */
export const logStamp = (date = new Date()) => date.toISOString().replace('T', ' ').slice(0, 19);

export interface Journal {
  /** Appends one timestamped line; a database failure is logged, never thrown. */
  log(message: Message): Promise<void>;
}

/** A journal writing into verification `id`. */
export function createJournal(deps: Pick<AppDeps, 'db' | 'logger'>, id: number): Journal {
  return {
    async log(message) {
      const line = `${logStamp()} - ${storeMessage(message)}\n`;
      await appendVerificationLog(deps.db, id, line).catch((err: unknown) =>
        deps.logger.warn({ verification: id, err }, 'verification log not written'),
      );
    },
  };
}

const LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) - (.*)$/;

/**
 * A `detailed_log` in the reader's language: each line's stamp, then its message rendered.
 * @example renderLog(t, '2025-11-29 10:00:00 - {"key":"surebackup.log.cleanup_done"}\n') // '2025-11-29 10:00:00 - Nettoyage terminé'
 */
export function renderLog(t: Translate, log: string): string {
  return log
    .split('\n')
    .map((line) => {
      const m = LINE.exec(line);
      return m ? `${m[1]} - ${t.stored(m[2])}` : line;
    })
    .join('\n');
}
