/**
 * @module db/metrics-verifications: the aggregate query behind the Prometheus "SureBackup" family
 * (src/metrics/verifications.ts), read from `backup_verifications`.
 */
import { count } from 'drizzle-orm';
import type { Db } from './client.js';
import { backup_verifications, type TEST_TYPES, type VERIFICATION_STATUSES } from './schema.js';

/** How many backup verifications have one test type and status. */
export interface VerificationCount {
  test_type: (typeof TEST_TYPES)[number];
  status: (typeof VERIFICATION_STATUSES)[number];
  n: number;
}

/**
 * Counts the backup verifications by test type and status: one row per pair that has at least one (an
 * empty table gives no row). One grouped query.
 */
export async function verificationCountsByTypeAndStatus(db: Db): Promise<VerificationCount[]> {
  return db
    .select({ test_type: backup_verifications.test_type, status: backup_verifications.status, n: count() })
    .from(backup_verifications)
    .groupBy(backup_verifications.test_type, backup_verifications.status);
}
