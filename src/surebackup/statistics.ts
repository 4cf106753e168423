/**
 * @module surebackup/statistics: `GET /api/backup-verifications/statistics/` in the seed's shape (section 3,
 * "Obtenir les statistiques"): totals, success rate (passed / total, percent with two decimals), the average
 * duration of the verifications that ended (seconds, rounded), the last completion time and the count per test
 * type. The counts come from src/db/verification-statistics.ts.
 */
import type { Db } from '../db/client.js';
import { verificationTotals } from '../db/verification-statistics.js';

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
  const totals = await verificationTotals(db);
  return {
    total_verifications: totals.total,
    passed: totals.passed,
    failed: totals.failed,
    success_rate: totals.total ? Math.round((totals.passed / totals.total) * 10_000) / 100 : 0,
    average_duration_seconds: totals.averageSeconds,
    last_verification: totals.last ? totals.last.toISOString() : null,
    by_test_type: totals.byTestType,
  };
}
