import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJob, insertJob } from '../../src/db/jobs.js';
import { type JobRunner, startJobRunner } from '../../src/jobs/runner.js';
import { INTERRUPTED_MESSAGE, type JobRow } from '../../src/jobs/types.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fastOptions, jobDeps, waitFor, waitForStatus } from './helpers.js';

const WORKER = path.join(import.meta.dirname, 'fixtures', 'crash-worker.ts');

describe('a worker process killed mid-job', () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;
  const runners: JobRunner[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await Promise.all(runners.map((r) => r.stop()));
    await database.drop();
  });

  it('leaves its job FAILED as interrupted once the lease expires, cleaned up exactly once', async () => {
    const job = await insertJob(database.db, { type: 'vm_backup', target_label: 'web-01' });
    child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DATABASE_URL: database.url },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const started = await new Promise<{ started: number; owner: string }>((resolve, reject) => {
      child?.once('message', (m) => resolve(m as { started: number; owner: string }));
      child?.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
    expect(started.started).toBe(job.id);
    await waitFor(async () => (await getJob(database.db, job.id))?.progress === 42, 5000, 'progress');
    child.kill('SIGKILL');
    const killedAt = Date.now();

    // Two survivors (as if two other processes) both look for interrupted jobs.
    const cleanups: JobRow[] = [];
    for (let i = 0; i < 2; i++) {
      runners.push(
        startJobRunner(
          jobDeps(database),
          {
            vm_backup: {
              cancellable: true,
              handler: async () => {},
              cleanupInterrupted: async (row) => {
                cleanups.push(row);
              },
            },
          },
          fastOptions({ heartbeatSeconds: 0.2 }),
        ),
      );
    }
    expect((await getJob(database.db, job.id))?.status).toBe('IN_PROGRESS');
    const failed = await waitForStatus(database.db, job.id, 'FAILED', 6000);
    expect(Date.now() - killedAt).toBeGreaterThan(1000);
    expect(failed).toMatchObject({ error: INTERRUPTED_MESSAGE, lease_owner: started.owner, progress: 42 });
    expect(failed.finished_at).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 600));
    expect(cleanups.map((r) => r.id)).toEqual([job.id]);
    expect(cleanups[0]?.status).toBe('FAILED');
  });
});
