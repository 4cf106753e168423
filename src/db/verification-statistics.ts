/**
 * @module db/verification-statistics: the aggregates behind SureBackup's statistics
 * (src/surebackup/statistics.ts), in two queries over every verification, after reconciling the rows whose job
 * ended without them.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { reconcileVerifications } from './verifications.js';

export interface VerificationTotals {
  total: number;
  passed: number;
  failed: number;
  /** Average `total_duration_seconds` of the verifications that ended, rounded (0 when none). */
  averageSeconds: number;
  /** The last `completed_at`, or null. */
  last: Date | null;
  byTestType: Record<string, number>;
}

/** Counts the verifications. @throws the database error. */
export async function verificationTotals(db: Db): Promise<VerificationTotals> {
  await reconcileVerifications(db);
  const totals = await db.execute(sql`
    select count(*)::int as total,
           count(*) filter (where status = 'passed')::int as passed,
           count(*) filter (where status = 'failed')::int as failed,
           coalesce(round(avg(total_duration_seconds) filter (where completed_at is not null)), 0)::int as avg,
           max(completed_at) as last
    from backup_verifications`);
  const types = await db.execute(sql`
    select test_type, count(*)::int as n from backup_verifications group by test_type order by test_type`);
  const row = (rows(totals)[0] ?? {}) as {
    total?: number;
    passed?: number;
    failed?: number;
    avg?: number;
    last?: unknown;
  };
  const byTestType: Record<string, number> = {};
  for (const t of rows(types) as Array<{ test_type: string; n: number }>)
    byTestType[t.test_type] = Number(t.n);
  return {
    total: Number(row.total ?? 0),
    passed: Number(row.passed ?? 0),
    failed: Number(row.failed ?? 0),
    averageSeconds: Number(row.avg ?? 0),
    last: row.last ? new Date(row.last as string) : null,
    byTestType,
  };
}

/** The rows of `db.execute` on postgres-js (an array) and PGlite (`{ rows }`) alike. */
function rows(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as { rows?: Record<string, unknown>[] }).rows ?? []) as Record<string, unknown>[];
}
