/**
 * @module backup-jobs/selection: which VMs a backup job backs up now, from the inventory (so a VM the last
 * inventory sync found on a chosen host is picked up without editing the job). Rules: every VM of the chosen
 * hosts whose name matches an include pattern (any name when there is none) and no exclude pattern, plus the
 * explicit VMs (patterns do not apply to them); with `skip_powered_off`, VMs not powered on are left out.
 * An explicit VM gone from its host is `skipped`. Patterns are globs (`*`, `?`, `[abc]`, `{a,b}`), matched
 * case-insensitively against the whole name by Node's `path.posix.matchesGlob`.
 */
import path from 'node:path';
import { type SelectionCandidate, selectionCandidates } from '../db/backup-job-selection.js';
import type { Db } from '../db/client.js';

/** What a selection is made of (a backup job row, or a form being edited). */
export interface SelectionRules {
  virtual_machine_ids: number[];
  esxi_server_ids: number[];
  include_patterns: string[];
  exclude_patterns: string[];
  skip_powered_off: boolean;
}

export interface Selection {
  /** The VMs to back up, by name. */
  selected: SelectionCandidate[];
  /** Explicit VMs no longer on their host. */
  gone: SelectionCandidate[];
}

/** Whether a VM name matches a glob, ignoring case. */
export function nameMatches(name: string, pattern: string): boolean {
  return path.posix.matchesGlob(name.toLowerCase(), pattern.trim().toLowerCase());
}

/** Whether a VM found on a chosen host passes the include and exclude patterns. */
function passesPatterns(name: string, rules: SelectionRules): boolean {
  const included =
    rules.include_patterns.length === 0 || rules.include_patterns.some((p) => nameMatches(name, p));
  return included && !rules.exclude_patterns.some((p) => nameMatches(name, p));
}

/**
 * Evaluates the rules against the inventory as the database holds it now.
 * @returns the selected VMs and the explicit ones that are gone. @throws the database error.
 */
export async function evaluateSelection(db: Db, rules: SelectionRules): Promise<Selection> {
  const candidates = await selectionCandidates(db, rules.virtual_machine_ids, rules.esxi_server_ids);
  const selected: SelectionCandidate[] = [];
  const gone: SelectionCandidate[] = [];
  for (const vm of candidates) {
    if (vm.explicit && !vm.is_present) {
      gone.push(vm);
      continue;
    }
    if (!vm.explicit && !passesPatterns(vm.name, rules)) continue;
    if (rules.skip_powered_off && vm.power_state !== 'poweredOn') continue;
    selected.push(vm);
  }
  return { selected, gone };
}
