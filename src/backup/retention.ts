/**
 * @module backup/retention: prunes the completed backups of a VM by its retention policy, with Proxmox Backup
 * Server's prune rules (repository/prune.ts `selectPrune`). A VM without a policy of its own has the default:
 * `keep_last` = BACKUP_RETENTION_COUNT. Only COMPLETED backups are counted and deleted, so failed or cancelled
 * runs never push a good backup out, and the newest backup that completed well (verification not `corrupt`)
 * is never removed: when the rules would remove it, it is kept as protected. A restore point of a repository
 * loses its index only: its chunks stay until garbage collection finds no index naming them.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client.js';
import { deleteJob } from '../db/jobs.js';
import { completedBackupsOf, getVmRetention, type RetainedBackup } from '../db/retention.js';
import type { RetentionPolicy } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { keepsSomething, type PruneMark, type PrunePoint, selectPrune } from '../repository/prune.js';

/** A VM's effective policy: every option as a count, and whether it is the default one. */
export interface EffectiveRetention {
  rules: RetentionPolicy;
  is_default: boolean;
}

/**
 * The policy in force for a VM.
 * @param own the VM's own policy (`virtual_machines.retention`), null for none (one that keeps nothing, which
 *   the API refuses, counts as none: retention never keeps everything by accident of a stored zero).
 * @param defaultKeepLast `keep_last` of the default policy (BACKUP_RETENTION_COUNT, at least 1).
 */
export function effectiveRetention(own: RetentionPolicy | null, defaultKeepLast: number): EffectiveRetention {
  if (own && keepsSomething(own)) return { rules: own, is_default: false };
  const keep_last = Math.max(1, Math.floor(defaultKeepLast));
  return {
    rules: { keep_last, keep_hourly: 0, keep_daily: 0, keep_weekly: 0, keep_monthly: 0, keep_yearly: 0 },
    is_default: true,
  };
}

/** What retention would do to a VM: its policy and each completed backup, newest first, with its mark. */
export interface RetentionPlan extends EffectiveRetention {
  points: Array<{ backup: RetainedBackup; mark: PruneMark }>;
}

/**
 * Decides, without removing anything, which completed backups of a VM its policy keeps (a dry run).
 * @param opts.keep `keep_last` of the default policy, for a VM without its own.
 * @param opts.current id of a backup that has just succeeded (its job not yet marked COMPLETED): counted.
 * @param opts.policy rules that replace the VM's own (a backup job's retention), when they keep something.
 */
export async function planRetention(
  db: Db,
  opts: { virtualMachineId: number; keep: number; current?: number | null; policy?: RetentionPolicy | null },
): Promise<RetentionPlan> {
  const policy = effectiveRetention(
    opts.policy ?? (await getVmRetention(db, opts.virtualMachineId)),
    opts.keep,
  );
  const rows = await completedBackupsOf(db, opts.virtualMachineId, opts.current ?? null);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const points: Array<PrunePoint<number>> = rows.map((row) => ({ id: row.id, time: row.taken_at }));
  let selection = selectPrune(points, policy.rules);
  // Newest first: the last restore point that completed well. If the rules would remove it, keep it.
  const lastGood = rows.find((row) => row.verification_state !== 'corrupt');
  if (lastGood && selection.remove.includes(lastGood.id)) {
    selection = selectPrune(
      points.map((p) => (p.id === lastGood.id ? { ...p, protected: true } : p)),
      policy.rules,
    );
  }
  return {
    ...policy,
    points: selection.marks.map(({ id, mark }) => ({ backup: byId.get(id) as RetainedBackup, mark })),
  };
}

/**
 * Deletes one completed backup: a restore point's index file (`repository`) or a legacy backup directory
 * (`directory`), then its job row (which removes the backup row by cascade). Only a file or directory this
 * app named after the job (`...-job<id>.json`, `...-job<id>`) is ever removed; a missing one is no error.
 * @throws fs errors other than a missing file (the backup row is then kept, to retry next time).
 */
export async function removeBackup(db: Db, row: RetainedBackup): Promise<void> {
  if (row.format === 'repository') {
    if (row.index_path && path.basename(row.index_path).endsWith(`-job${row.job_id}.json`)) {
      await rm(row.index_path, { force: true });
    }
  } else if (row.backup_dir && path.basename(row.backup_dir).endsWith(`-job${row.job_id}`)) {
    await rm(row.backup_dir, { recursive: true, force: true });
  }
  await deleteJob(db, row.job_id);
}

/**
 * Deletes the completed backups of a VM that its retention policy does not keep (see {@link planRetention},
 * {@link removeBackup}).
 * @param opts.keep `keep_last` of the default policy (BACKUP_RETENTION_COUNT), for a VM without its own.
 * @param opts.current id of a backup that has just succeeded (its job not yet marked COMPLETED): counted.
 * @param opts.policy rules that replace the VM's own (a backup job's retention).
 * @returns the ids of the deleted backups, newest first.
 * @throws fs errors other than a missing file or directory.
 */
export async function applyRetention(
  deps: { db: Db; logger: Logger },
  opts: { virtualMachineId: number; keep: number; current?: number | null; policy?: RetentionPolicy | null },
): Promise<number[]> {
  const plan = await planRetention(deps.db, opts);
  const deleted: number[] = [];
  for (const { backup, mark } of plan.points) {
    if (mark !== 'remove') continue;
    await removeBackup(deps.db, backup);
    deleted.push(backup.id);
  }
  if (deleted.length) deps.logger.info({ vm: opts.virtualMachineId, deleted }, 'backup retention applied');
  return deleted;
}
