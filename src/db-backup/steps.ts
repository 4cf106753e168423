/**
 * @module db-backup/steps: the step texts a database backup reports (English, stored on the job row) and
 * their message keys, so that the progress card speaks the reader's language (seed 004 "Étapes").
 */
import type { MessageKey } from '../i18n/messages.js';

const STEPS: Array<[RegExp, MessageKey, string[]]> = [
  [/^Initialising$/, 'dbbackup.step.init', []],
  [/^Dumping database$/, 'dbbackup.step.dump', []],
  [/^Dumping table (.+) \((\d+)\/(\d+)\)$/, 'dbbackup.step.dump_table', ['table', 'done', 'total']],
  [/^Compressed$/, 'dbbackup.step.compress', []],
  [/^Checking integrity$/, 'dbbackup.step.integrity', []],
  [/^Finalising$/, 'dbbackup.step.finalise', []],
  [/^Done$/, 'dbbackup.step.done', []],
];

/**
 * The message key and parameters of a reported step, e.g. `Dumping table public.jobs (3/12)` ->
 * `{ key: 'dbbackup.step.dump_table', params: { table: 'public.jobs', done: '3', total: '12' } }`.
 * @returns null for an unknown step (show it as is).
 */
export function dbBackupStep(step: string): { key: MessageKey; params: Record<string, string> } | null {
  for (const [pattern, key, names] of STEPS) {
    const m = pattern.exec(step);
    if (m) return { key, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1] as string])) };
  }
  return null;
}
