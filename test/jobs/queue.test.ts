import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimNextJob,
  deleteOldJobs,
  failExpiredJobs,
  finishJob,
  getJob,
  insertJob,
  listOperations,
  renewLeases,
  requestCancel,
} from '../../src/db/jobs.js';
import { jobs, vm_backups } from '../../src/db/schema.js';
import { INTERRUPTED_MESSAGE } from '../../src/jobs/types.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertHost } from './helpers.js';

describe('job queue queries (PostgreSQL)', () => {
  let database: TestDatabase;
  const claim = (owner: string, extra: Partial<Parameters<typeof claimNextJob>[1]> = {}) =>
    claimNextJob(database.db, {
      owner,
      leaseSeconds: 30,
      globalLimit: 10,
      perHostLimit: 1,
      types: ['vm_backup', 'restore'],
      ...extra,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  const reset = () => database.db.execute(sql`truncate jobs cascade`);

  it('claims oldest first, skips a busy host, and respects the global limit', async () => {
    await reset();
    const host = await insertHost(database.db, 'esx-claim');
    const a = await insertJob(database.db, { type: 'vm_backup', target_label: 'a', esxi_server_id: host });
    const b = await insertJob(database.db, { type: 'vm_backup', target_label: 'b', esxi_server_id: host });
    const c = await insertJob(database.db, { type: 'restore', target_label: 'c' });
    expect((await claim('w1'))?.id).toBe(a.id);
    // b waits for its host; c (no host) goes ahead.
    expect((await claim('w2'))?.id).toBe(c.id);
    expect(await claim('w2')).toBeNull();
    await finishJob(database.db, a.id, 'w1', 'COMPLETED');
    expect(await claim('w2', { globalLimit: 1 })).toBeNull();
    const claimed = await claim('w2', { globalLimit: 2 });
    expect(claimed).toMatchObject({ id: b.id, status: 'IN_PROGRESS', lease_owner: 'w2' });
    expect(claimed?.started_at).toBeInstanceOf(Date);
    expect(await claim('w3', { types: ['vm_backup'] })).toBeNull();
  });

  it('finishes only a job the worker still owns, and renewals report cancels and lost leases', async () => {
    await reset();
    const job = await insertJob(database.db, { type: 'restore', target_label: 'r' });
    await claim('w1');
    expect(await finishJob(database.db, job.id, 'someone-else', 'COMPLETED')).toBe(false);
    expect(await requestCancel(database.db, job.id)).toMatchObject({ outcome: 'requested' });
    expect(await renewLeases(database.db, 'w1', [job.id, 999999], 30)).toEqual([
      { id: job.id, cancel_requested: true },
    ]);
    expect(await finishJob(database.db, job.id, 'w1', 'CANCELLED')).toBe(true);
    expect(await finishJob(database.db, job.id, 'w1', 'FAILED', 'late')).toBe(false);
    expect(await getJob(database.db, job.id)).toMatchObject({ status: 'CANCELLED', error: null });
    expect(await requestCancel(database.db, job.id)).toMatchObject({ outcome: 'finished' });
    expect(await requestCancel(database.db, 999999)).toBeNull();
  });

  it('cancels a PENDING job at once', async () => {
    await reset();
    const job = await insertJob(database.db, { type: 'vm_backup', target_label: 'p' });
    const result = await requestCancel(database.db, job.id);
    expect(result).toMatchObject({ outcome: 'cancelled', job: { status: 'CANCELLED' } });
    expect(result?.job.finished_at).toBeInstanceOf(Date);
    expect(await claim('w1')).toBeNull();
  });

  it('fails expired leases once, as interrupted', async () => {
    await reset();
    const job = await insertJob(database.db, { type: 'vm_backup', target_label: 'x' });
    await claim('dead', { leaseSeconds: 0.2 });
    expect(await failExpiredJobs(database.db, { types: ['vm_backup'] })).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await failExpiredJobs(database.db, { types: ['restore'] })).toEqual([]);
    const [failed] = await failExpiredJobs(database.db, { types: ['vm_backup'] });
    expect(failed).toMatchObject({ id: job.id, status: 'FAILED', error: INTERRUPTED_MESSAGE });
    expect(await failExpiredJobs(database.db, { types: ['vm_backup'] })).toEqual([]);
    expect(await renewLeases(database.db, 'dead', [job.id], 30)).toEqual([]);
  });

  it('lists active and recently finished jobs, and deletes old ones except backup history', async () => {
    await reset();
    const old = await insertJob(database.db, { type: 'restore', target_label: 'old' });
    const oldBackup = await insertJob(database.db, { type: 'vm_backup', target_label: 'old-backup' });
    await database.db.insert(vm_backups).values({ job_id: oldBackup.id, vm_name: 'old-backup' });
    const recent = await insertJob(database.db, { type: 'restore', target_label: 'recent' });
    const pending = await insertJob(database.db, { type: 'restore', target_label: 'pending' });
    const ago = (s: number) => sql`now() - make_interval(secs => ${s}::double precision)`;
    const finish = (id: number, secondsAgo: number) =>
      database.db
        .update(jobs)
        .set({ status: 'COMPLETED', finished_at: ago(secondsAgo) })
        .where(eq(jobs.id, id));
    await finish(old.id, 25 * 3600);
    await finish(oldBackup.id, 25 * 3600);
    await finish(recent.id, 11);
    const ids = async (seconds: number) =>
      (await listOperations(database.db, { finishedWithinSeconds: seconds })).rows.map((j) => j.id);
    expect(await ids(10)).toEqual([pending.id]);
    expect(await ids(60)).toEqual([recent.id, pending.id]);
    expect(await deleteOldJobs(database.db, 24)).toBe(1);
    expect(await getJob(database.db, old.id)).toBeNull();
    expect(await getJob(database.db, oldBackup.id)).not.toBeNull();
    expect(await getJob(database.db, recent.id)).not.toBeNull();
  });
});
