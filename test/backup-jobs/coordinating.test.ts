/**
 * The runner's coordinating jobs (JobTypeDefinition `coordinating`): with JOB_CONCURRENCY=1, a coordinating job
 * that waits for a child job does not take the one slot, so the child runs; two ordinary jobs still run one at
 * a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJob } from '../../src/db/jobs.js';
import { enqueueJob } from '../../src/jobs/actions.js';
import { type JobRunner, startJobRunner } from '../../src/jobs/runner.js';
import { fastOptions, gate, jobDeps, waitForStatus } from '../jobs/helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('coordinating jobs', () => {
  let database: TestDatabase;
  let runner: JobRunner | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await runner?.stop();
    await database.drop();
  });

  it('take no slot: a parent waiting for its child lets the child run, ordinary jobs still queue', async () => {
    const deps = jobDeps(database);
    const release = gate();
    let childId = 0;
    let concurrentOrdinary = 0;
    let maxOrdinary = 0;
    runner = startJobRunner(
      deps,
      {
        backup_job: {
          cancellable: true,
          coordinating: true,
          async handler() {
            const child = await enqueueJob(deps, { type: 'vm_backup', target_label: 'child' });
            childId = child.id;
            await waitForStatus(deps.db, child.id, 'COMPLETED');
          },
        },
        vm_backup: {
          cancellable: true,
          async handler({ job }) {
            concurrentOrdinary++;
            maxOrdinary = Math.max(maxOrdinary, concurrentOrdinary);
            if (job.target_label === 'held') await release.opened;
            concurrentOrdinary--;
          },
        },
      },
      fastOptions({ concurrency: 1 }),
    );
    deps.jobs = runner;
    const parent = await enqueueJob(deps, { type: 'backup_job', target_label: 'parent' });
    await waitForStatus(deps.db, parent.id, 'COMPLETED');
    expect((await getJob(deps.db, childId))?.status).toBe('COMPLETED');

    const held = await enqueueJob(deps, { type: 'vm_backup', target_label: 'held' });
    const queued = await enqueueJob(deps, { type: 'vm_backup', target_label: 'queued' });
    await waitForStatus(deps.db, held.id, 'IN_PROGRESS');
    await new Promise((r) => setTimeout(r, 300));
    expect((await getJob(deps.db, queued.id))?.status).toBe('PENDING');
    release.open();
    await waitForStatus(deps.db, queued.id, 'COMPLETED');
    expect(maxOrdinary).toBe(1);
  });
});
