/**
 * @module jobs/steps: the step texts jobs report (English, stored on the job row) and their message keys, so
 * that every page shows them in the reader's language. One table for every job type; a type may have its own
 * wording for a step (the database backup follows seed 004's step names).
 */
import type { JobType } from '../db/schema.js';
import type { MessageKey } from '../i18n/messages.js';

/** A step pattern, its message key and the names of the pattern's captured parameters. */
type Step = [RegExp, MessageKey, string[]];

const COMMON: Step[] = [
  [/^Connecting to (.+)$/, 'step.connecting', ['server']],
  [/^Validating$/, 'step.validating', []],
  [/^Creating snapshot$/, 'step.snapshot', []],
  [/^Copying (.+)$/, 'step.copying', ['file']],
  [/^Writing manifest$/, 'step.manifest', []],
  [/^Removing snapshot$/, 'step.remove_snapshot', []],
  [/^Applying retention$/, 'step.retention', []],
  [/^Verifying backup$/, 'step.verifying_backup', []],
  [/^Verifying replica$/, 'step.verifying_replica', []],
  [/^Verifying (.+)$/, 'step.verifying', ['file']],
  [/^Uploading (.+)$/, 'step.uploading', ['file']],
  [/^Registering VM$/, 'step.registering', []],
  [/^Deleting existing replica$/, 'step.deleting_replica', []],
  [/^Isolating network$/, 'step.isolating_network', []],
  [/^Powering off source VM$/, 'step.power_off_source', []],
  [/^Powering on replica$/, 'step.power_on_replica', []],
  [/^Powering on$/, 'step.powering_on', []],
  [/^Waiting for boot$/, 'step.waiting_boot', []],
  [/^Pinging guest$/, 'step.pinging', []],
  [/^Checking services$/, 'step.checking_services', []],
  [/^Refreshing inventory$/, 'step.inventory', []],
  [/^Cleaning up$/, 'step.cleanup', []],
  [/^Finalising$/, 'step.finalising', []],
  [/^Done$/, 'step.done', []],
];

const BY_TYPE: Partial<Record<JobType, Step[]>> = {
  db_backup: [
    [/^Initialising$/, 'dbbackup.step.init', []],
    [/^Dumping database$/, 'dbbackup.step.dump', []],
    [/^Dumping table (.+) \((\d+)\/(\d+)\)$/, 'dbbackup.step.dump_table', ['table', 'done', 'total']],
    [/^Compressed$/, 'dbbackup.step.compress', []],
    [/^Checking integrity$/, 'dbbackup.step.integrity', []],
    [/^Finalising$/, 'dbbackup.step.finalise', []],
    [/^Done$/, 'dbbackup.step.done', []],
  ],
};

/**
 * The message key and parameters of a reported step, e.g. `Copying disk1-flat.vmdk` ->
 * `{ key: 'step.copying', params: { file: 'disk1-flat.vmdk' } }`.
 * @param type the job's type, for steps a type words its own way.
 * @returns null for a step no table knows (show it as is).
 */
export function stepMessage(
  step: string,
  type?: JobType,
): { key: MessageKey; params: Record<string, string> } | null {
  for (const [pattern, key, names] of [...((type && BY_TYPE[type]) ?? []), ...COMMON]) {
    const m = pattern.exec(step);
    if (m) return { key, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1] as string])) };
  }
  return null;
}
