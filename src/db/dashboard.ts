/** @module db/dashboard: the protection summary of the dashboard, in two aggregate queries. */
import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { jobs, vm_replications } from './schema.js';

export interface ProtectionSummary {
  /** VM backups finished in the last 24 hours, by outcome. */
  backups_completed_24h: number;
  backups_failed_24h: number;
  replications_active: number;
  replications_error: number;
}

/** Counts for the dashboard's protection cards. */
export async function protectionSummary(db: Db): Promise<ProtectionSummary> {
  const [backups] = await db
    .select({
      completed: sql<number>`count(*) filter (where ${jobs.status} = 'COMPLETED')::int`,
      failed: sql<number>`count(*) filter (where ${jobs.status} = 'FAILED')::int`,
    })
    .from(jobs)
    .where(sql`${jobs.type} = 'vm_backup' and ${jobs.finished_at} > now() - interval '24 hours'`);
  const [replications] = await db
    .select({
      active: sql<number>`count(*) filter (where ${vm_replications.status} in ('active', 'syncing'))::int`,
      error: sql<number>`count(*) filter (where ${vm_replications.status} = 'error')::int`,
    })
    .from(vm_replications);
  return {
    backups_completed_24h: backups?.completed ?? 0,
    backups_failed_24h: backups?.failed ?? 0,
    replications_active: replications?.active ?? 0,
    replications_error: replications?.error ?? 0,
  };
}
