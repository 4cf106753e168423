import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getJob, insertJob } from '../../src/db/jobs.js';
import { msg, storedCode } from '../../src/i18n/message.js';
import { translator } from '../../src/i18n/translate.js';
import { cancelJob, enqueueJob } from '../../src/jobs/actions.js';
import { STOPPED_MESSAGE } from '../../src/jobs/execute.js';
import type { JobDefinitions } from '../../src/jobs/recovery.js';
import { type JobRunner, startJobRunner } from '../../src/jobs/runner.js';
import type { JobHandler } from '../../src/jobs/types.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fastOptions, gate, insertHost, jobDeps, waitFor, waitForStatus } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the signal, then throws its reason (what a well-behaved handler does when cancelled). */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

describe('job runner (PostgreSQL)', () => {
  let database: TestDatabase;
  let runners: JobRunner[] = [];
  const start = (definitions: JobDefinitions, options = fastOptions()) => {
    const deps = jobDeps(database);
    const runner = startJobRunner(deps, definitions, options);
    deps.jobs = runner;
    runners.push(runner);
    return { runner, deps };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    runners = [];
    await database.db.execute(sql`truncate jobs cascade`);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('two runners on one database run 20 jobs, each exactly once, within the per-host limit', async () => {
    const hosts = [await insertHost(database.db, 'esx-a'), await insertHost(database.db, 'esx-b')];
    const runs = new Map<number, string[]>();
    const activePerHost = new Map<number, number>();
    let maxPerHost = 0;
    let maxGlobal = 0;
    let active = 0;
    const handler =
      (name: string): JobHandler =>
      async ({ job }) => {
        runs.set(job.id, [...(runs.get(job.id) ?? []), name]);
        const host = job.esxi_server_id as number;
        activePerHost.set(host, (activePerHost.get(host) ?? 0) + 1);
        active++;
        maxPerHost = Math.max(maxPerHost, activePerHost.get(host) ?? 0);
        maxGlobal = Math.max(maxGlobal, active);
        await sleep(15);
        active--;
        activePerHost.set(host, (activePerHost.get(host) ?? 0) - 1);
      };
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const job = await insertJob(database.db, {
        type: 'vm_backup',
        target_label: `vm-${i}`,
        esxi_server_id: hosts[i % 2] as number,
      });
      ids.push(job.id);
    }
    const options = fastOptions({ concurrency: 3, perHostConcurrency: 1, pollMs: 5 });
    start({ vm_backup: { handler: handler('one'), cancellable: false } }, options);
    start({ vm_backup: { handler: handler('two'), cancellable: false } }, options);
    for (const id of ids) await waitForStatus(database.db, id, 'COMPLETED');
    expect([...runs.keys()].sort((a, b) => a - b)).toEqual(ids);
    for (const [id, by] of runs) expect(by, `job ${id}`).toHaveLength(1);
    expect(new Set([...runs.values()].flat())).toEqual(new Set(['one', 'two']));
    expect(maxPerHost).toBe(1);
    expect(maxGlobal).toBe(2);
  });

  it('records progress, completes at 100 %, and fails with the message (not the stack) of a throw', async () => {
    const release = gate();
    const { deps } = start({
      vm_backup: {
        cancellable: false,
        handler: async ({ report }) => {
          for (let i = 1; i <= 200; i++) report({ progress: i / 4, bytes_done: i * 1e6, bytes_total: 400e6 });
          report({ step: msg('step.copying', { file: 'disk1-flat.vmdk' }) });
          await release.opened;
        },
      },
      restore: {
        cancellable: false,
        handler: async () => {
          throw new Error('datastore full');
        },
      },
    });
    const job = await enqueueJob(deps, { type: 'vm_backup', target_label: 'web-01' });
    const progressed = await waitFor(async () => {
      const row = await getJob(database.db, job.id);
      return translator('en').stored(row?.step) === 'Copying disk1-flat.vmdk' ? row : null;
    });
    expect(progressed).toMatchObject({
      status: 'IN_PROGRESS',
      progress: 50,
      bytes_done: 200e6,
      bytes_total: 400e6,
    });
    release.open();
    expect(await waitForStatus(database.db, job.id, 'COMPLETED')).toMatchObject({
      progress: 100,
      error: null,
    });

    const failing = await enqueueJob(deps, { type: 'restore', target_label: 'db-01' });
    const failed = await waitForStatus(database.db, failing.id, 'FAILED');
    expect(translator('en').stored(failed.error)).toBe('Unexpected error: datastore full');
    expect(translator('fr').stored(failed.error)).toBe('Erreur inattendue : datastore full');
    expect(storedCode(failed.error)).toBe('internal');
    expect(failed.finished_at).toBeInstanceOf(Date);
  });

  it('cancels a PENDING job at once and aborts a running one, which ends CANCELLED after cleaning up', async () => {
    let cleanedUp = false;
    const { deps } = start({
      vm_backup: {
        cancellable: true,
        handler: async ({ signal, report }) => {
          report({ progress: 10, step: msg('step.copying', { file: 'disk1-flat.vmdk' }) });
          try {
            await untilAborted(signal);
          } finally {
            cleanedUp = true;
          }
        },
      },
      restore: { cancellable: false, handler: async ({ signal }) => untilAborted(signal) },
    });
    const host = await insertHost(database.db, 'esx-cancel');
    const running = await enqueueJob(deps, { type: 'vm_backup', target_label: 'a', esxi_server_id: host });
    await waitForStatus(database.db, running.id, 'IN_PROGRESS');
    // Same host: waits behind the first one, then gets cancelled before it starts.
    const queued = await enqueueJob(deps, { type: 'vm_backup', target_label: 'b', esxi_server_id: host });
    expect(await cancelJob(deps, queued.id)).toMatchObject({
      outcome: 'cancelled',
      job: { status: 'CANCELLED' },
    });
    expect(await cancelJob(deps, running.id)).toMatchObject({ outcome: 'requested' });
    const cancelled = await waitForStatus(database.db, running.id, 'CANCELLED', 3000);
    expect(cancelled.progress).toBe(10);
    expect(cleanedUp).toBe(true);
    expect((await getJob(database.db, queued.id))?.started_at).toBeNull();

    const restore = await enqueueJob(deps, { type: 'restore', target_label: 'c' });
    await waitForStatus(database.db, restore.id, 'IN_PROGRESS');
    expect(await cancelJob(deps, restore.id)).toMatchObject({ outcome: 'not_cancellable' });
  });

  it('a cancel made through another process reaches the handler at the next heartbeat', async () => {
    const { deps } = start(
      { vm_backup: { cancellable: true, handler: async ({ signal }) => untilAborted(signal) } },
      fastOptions({ heartbeatSeconds: 0.3 }),
    );
    const job = await enqueueJob(deps, { type: 'vm_backup', target_label: 'far' });
    await waitForStatus(database.db, job.id, 'IN_PROGRESS');
    // Another process has no handler running for it: only the cancel_requested flag is set.
    const elsewhere = { wake() {}, cancelled() {}, isCancellable: () => true };
    expect(await cancelJob({ db: database.db, jobs: elsewhere }, job.id)).toMatchObject({
      outcome: 'requested',
    });
    await waitForStatus(database.db, job.id, 'CANCELLED', 2000);
  });

  it('stop() aborts running handlers and leaves their jobs FAILED as stopped, never IN_PROGRESS', async () => {
    let aborted = false;
    const { runner, deps } = start(
      {
        restore: {
          cancellable: false,
          handler: async ({ signal }) => {
            await untilAborted(signal).finally(() => {
              aborted = true;
            });
          },
        },
        vm_backup: { cancellable: false, handler: () => new Promise(() => {}) },
      },
      fastOptions({ stopGraceMs: 300 }),
    );
    const polite = await enqueueJob(deps, { type: 'restore', target_label: 'polite' });
    const stubborn = await enqueueJob(deps, { type: 'vm_backup', target_label: 'stubborn' });
    await waitForStatus(database.db, polite.id, 'IN_PROGRESS');
    await waitForStatus(database.db, stubborn.id, 'IN_PROGRESS');
    await runner.stop();
    expect(aborted).toBe(true);
    for (const id of [polite.id, stubborn.id])
      expect(await getJob(database.db, id)).toMatchObject({ status: 'FAILED', error: STOPPED_MESSAGE });
    const later = await insertJob(database.db, { type: 'restore', target_label: 'later' });
    await sleep(100);
    expect((await getJob(database.db, later.id))?.status).toBe('PENDING');
  });

  it('survives database errors: logs them and goes on once the database answers again', async () => {
    const { deps } = start({ restore: { cancellable: false, handler: async () => {} } });
    await database.db.execute(sql`alter table jobs rename to jobs_away`);
    await sleep(150);
    await database.db.execute(sql`alter table jobs_away rename to jobs`);
    expect(deps.logs()).toContain('claiming jobs failed');
    // Not enqueueJob: no wake-up, the runner must come back by itself after its back-off.
    const job = await insertJob(database.db, { type: 'restore', target_label: 'after' });
    await waitForStatus(database.db, job.id, 'COMPLETED', 5000);
  });
});
