/**
 * @module surebackup/statistics: `GET /api/backup-verifications/statistics/` in the seed's shape (section 3,
 * "Obtenir les statistiques"): totals, success rate (passed / total, percent with two decimals), the average
 * duration of the verifications that ended (seconds, rounded), the last completion time and the count per test type.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { reconcileVerifications } from '../db/verifications.js';

export interface VerificationStatistics {
  total_verifications: number;
  passed: number;
  failed: number;
  success_rate: number;
  average_duration_seconds: number;
  /** ISO 8601 UTC, or null when none ended yet. */
  last_verification: string | null;
  by_test_type: Record<string, number>;
}

/** Computes the statistics over every verification. @throws the database error. */
export async function verificationStatistics(db: Db): Promise<VerificationStatistics> {
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
  const total = Number(row.total ?? 0);
  const passed = Number(row.passed ?? 0);
  const by_test_type: Record<string, number> = {};
  for (const t of rows(types) as Array<{ test_type: string; n: number }>)
    by_test_type[t.test_type] = Number(t.n);
  return {
    total_verifications: total,
    passed,
    failed: Number(row.failed ?? 0),
    success_rate: total ? Math.round((passed / total) * 10_000) / 100 : 0,
    average_duration_seconds: Number(row.avg ?? 0),
    last_verification: row.last ? new Date(row.last as string).toISOString() : null,
    by_test_type,
  };
}

/** The rows of `db.execute` on postgres-js (an array) and PGlite (`{ rows }`) alike. */
function rows(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as { rows?: Record<string, unknown>[] }).rows ?? []) as Record<string, unknown>[];
}
