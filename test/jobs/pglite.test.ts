import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { claimNextJob, getJob, insertJob, listOperations } from '../../src/db/jobs.js';
import { migrate } from '../../src/db/migrate.js';
import { msg, storeMessage } from '../../src/i18n/message.js';
import { cancelJob, enqueueJob } from '../../src/jobs/actions.js';
import { startJobRunner } from '../../src/jobs/runner.js';
import { INTERRUPTED_MESSAGE } from '../../src/jobs/types.js';
import { fastOptions, insertHost, jobDeps, waitFor, waitForStatus } from './helpers.js';

describe('job runner on embedded PGlite', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: mkdtempSync(path.join(tmpdir(), 'ebm-jobs-pglite-')) });
    await migrate(database);
  });
  afterAll(async () => {
    await database.close();
  });

  it('fails a dead run at start-up, then runs, reports, limits per host and cancels', async () => {
    const host = await insertHost(database.db, 'esx-lite');
    const orphan = await insertJob(database.db, { type: 'vm_backup', target_label: 'orphan' });
    await claimNextJob(database.db, {
      owner: 'previous-process',
      leaseSeconds: 600,
      globalLimit: 10,
      perHostLimit: 1,
      types: ['vm_backup'],
    });
    let cleanups = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const deps = jobDeps(database);
    const runner = startJobRunner(
      deps,
      {
        vm_backup: {
          cancellable: true,
          cleanupInterrupted: async () => {
            cleanups++;
          },
          handler: async ({ job, report, signal }) => {
            concurrent++;
            maxConcurrent = Math.max(maxConcurrent, concurrent);
            try {
              for (let i = 1; i <= 10; i++) {
                signal.throwIfAborted();
                report({
                  progress: i * 10,
                  bytes_done: i,
                  bytes_total: 10,
                  step: msg('step.copying', { file: `part ${i}` }),
                });
                await new Promise((r) => setTimeout(r, job.target_label === 'long' ? 200 : 10));
              }
            } finally {
              concurrent--;
            }
          },
        },
      },
      fastOptions({ recoverAllAtStart: true }),
    );
    deps.jobs = runner;
    try {
      await runner.ready;
      expect(await getJob(database.db, orphan.id)).toMatchObject({
        status: 'FAILED',
        error: INTERRUPTED_MESSAGE,
      });
      expect(cleanups).toBe(1);

      const quick = await Promise.all(
        [1, 2, 3].map((i) =>
          enqueueJob(deps, { type: 'vm_backup', target_label: `vm-${i}`, esxi_server_id: host }),
        ),
      );
      for (const job of quick)
        expect(await waitForStatus(database.db, job.id, 'COMPLETED')).toMatchObject({
          progress: 100,
          step: storeMessage(msg('step.copying', { file: 'part 10' })),
        });
      expect(maxConcurrent).toBe(1);

      const long = await enqueueJob(deps, { type: 'vm_backup', target_label: 'long' });
      await waitFor(
        async () => ((await getJob(database.db, long.id))?.progress ?? 0) >= 10,
        5000,
        'progress',
      );
      expect(await cancelJob(deps, long.id)).toMatchObject({ outcome: 'requested' });
      const cancelled = await waitForStatus(database.db, long.id, 'CANCELLED');
      expect(cancelled.progress).toBeLessThan(100);
      const { rows: listed } = await listOperations(database.db, { finishedWithinSeconds: 60 });
      expect(listed.map((j) => j.target_label)).toEqual(['orphan', 'vm-1', 'vm-2', 'vm-3', 'long']);
    } finally {
      await runner.stop();
    }
  });
});
