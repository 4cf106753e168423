/**
 * @module backup/backup-dirs: the clean-up of legacy directory backups (made before repositories), which were
 * written to `<storage path>/<vm segment>/<timestamp>-job<id>.partial/` and renamed to `<timestamp>-job<id>/`
 * once complete: a job interrupted then is cleaned up after an upgrade.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { safeSegment } from '../repository/format.js';
import { isFsError } from '../repository/parallel.js';

const PARTIAL_SUFFIX = '.partial';

/**
 * Removes what a run of job `jobId` left in `<root>/<vm name>/`: its `.partial` directory and, when
 * `keepFinal` is false, a final directory the database never recorded. Idempotent.
 * @returns the removed paths. @throws fs errors other than a missing VM directory.
 */
export async function removeJobDirs(
  root: string,
  vmName: string,
  jobId: number,
  keepFinal: boolean,
): Promise<string[]> {
  const vmDir = path.join(root, safeSegment(vmName));
  let entries: string[];
  try {
    entries = await readdir(vmDir);
  } catch (err) {
    if (isFsError(err, 'ENOENT')) return [];
    throw err;
  }
  const mine = (e: string) =>
    e.endsWith(`-job${jobId}${PARTIAL_SUFFIX}`) || (!keepFinal && e.endsWith(`-job${jobId}`));
  const removed = entries.filter(mine).map((e) => path.join(vmDir, e));
  for (const dir of removed) await rm(dir, { recursive: true, force: true });
  return removed;
}
