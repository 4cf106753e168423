/**
 * @module backup/steps: the step texts backup and restore jobs report (English, stored on the job row) and
 * their message keys, so that pages can show them in the user's language.
 */
import type { MessageKey } from '../i18n/messages.js';

const STEPS: Array<[RegExp, MessageKey, string?]> = [
  [/^Connecting to (.+)$/, 'backup.step.connecting', 'server'],
  [/^Creating snapshot$/, 'backup.step.snapshot'],
  [/^Copying (.+)$/, 'backup.step.copying', 'file'],
  [/^Writing manifest$/, 'backup.step.manifest'],
  [/^Removing snapshot$/, 'backup.step.remove_snapshot'],
  [/^Applying retention$/, 'backup.step.retention'],
  [/^Verifying backup$/, 'backup.step.verifying_backup'],
  [/^Verifying (.+)$/, 'backup.step.verifying', 'file'],
  [/^Uploading (.+)$/, 'backup.step.uploading', 'file'],
  [/^Registering VM$/, 'backup.step.registering'],
  [/^Powering on$/, 'backup.step.powering_on'],
  [/^Refreshing inventory$/, 'backup.step.inventory'],
  [/^Cleaning up$/, 'backup.step.cleanup'],
  [/^Done$/, 'backup.step.done'],
];

/**
 * The message key and parameters of a reported step, e.g. `Copying disk1-flat.vmdk` ->
 * `{ key: 'backup.step.copying', params: { file: 'disk1-flat.vmdk' } }`.
 * @returns null for a step this module does not know (show it as is).
 */
export function stepMessage(step: string): { key: MessageKey; params: Record<string, string> } | null {
  for (const [pattern, key, param] of STEPS) {
    const m = pattern.exec(step);
    if (m) return { key, params: param ? { [param]: m[1] as string } : {} };
  }
  return null;
}
