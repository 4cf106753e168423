import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getJob, insertJob } from '../../src/db/jobs.js';
import { jobs } from '../../src/db/schema.js';
import { msg } from '../../src/i18n/message.js';
import { enqueueJob } from '../../src/jobs/actions.js';
import { type JobRunner, startJobRunner } from '../../src/jobs/runner.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { fastOptions, waitFor, waitForStatus } from './helpers.js';

describe('operations widget and API', () => {
  let t: TestApp;
  let runner: JobRunner;
  beforeAll(async () => {
    t = await createTestApp();
    runner = startJobRunner(
      t.deps,
      {
        vm_backup: {
          cancellable: true,
          handler: async ({ signal, report }) => {
            report({
              progress: 37,
              bytes_done: 370e6,
              bytes_total: 1000e6,
              step: msg('step.copying', { file: 'disk1-flat.vmdk' }),
            });
            await new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
          },
        },
        restore: {
          cancellable: false,
          handler: ({ signal }) => new Promise((_r, rj) => signal.addEventListener('abort', rj)),
        },
      },
      fastOptions({ concurrency: 10 }),
    );
    t.deps.jobs = runner;
  });
  afterEach(async () => {
    await t.database.db.execute(sql`update jobs set cancel_requested = true where status = 'IN_PROGRESS'`);
    await waitFor(async () => runner.runningJobIds().length === 0, 5000, 'runner idle');
    await t.database.db.execute(sql`truncate jobs cascade`);
  });
  afterAll(async () => {
    await runner.stop();
    await t.close();
  });

  const finishedAgo = (id: number, seconds: number, status: 'COMPLETED' | 'FAILED' = 'COMPLETED') =>
    t.database.db
      .update(jobs)
      .set({ status, finished_at: sql`now() - make_interval(secs => ${seconds}::double precision)` })
      .where(eq(jobs.id, id));

  async function running(label: string, type: 'vm_backup' | 'restore' = 'vm_backup') {
    const job = await enqueueJob(t.deps, { type, target_label: label });
    await waitFor(
      async () => (await getJob(t.database.db, job.id))?.progress === 37 || type === 'restore',
      5000,
    );
    return waitForStatus(t.database.db, job.id, 'IN_PROGRESS');
  }

  it('lists active and recently finished operations of every type as snake_case JSON', async () => {
    const { headers } = await t.apiUser('viewer');
    const active = await running('web-01');
    const pending = await insertJob(t.database.db, { type: 'restore', target_label: 'later' });
    await t.database.db.update(jobs).set({ status: 'PENDING' }).where(eq(jobs.id, pending.id));
    const recent = await insertJob(t.database.db, { type: 'restore', target_label: 'recent' });
    await finishedAgo(recent.id, 3600, 'FAILED');
    const old = await insertJob(t.database.db, { type: 'restore', target_label: 'old' });
    await finishedAgo(old.id, 25 * 3600);
    for (const path of ['/api/operations/', '/api/operations']) {
      const res = await t.app.request(path, { headers });
      expect(res.status, path).toBe(200);
      const body = (await res.json()) as Array<Record<string, unknown>>;
      expect(body.map((o) => o.target_label)).toEqual(['web-01', 'later', 'recent']);
      expect(body[0]).toMatchObject({
        id: active.id,
        type: 'vm_backup',
        status: 'IN_PROGRESS',
        progress: 37,
        bytes_done: 370e6,
        bytes_total: 1000e6,
        step: 'Copie de disk1-flat.vmdk',
        cancellable: true,
        cancel_requested: false,
        error: null,
        finished_at: null,
      });
      expect(body[0]).not.toHaveProperty('payload');
      expect(body[0]).not.toHaveProperty('lease_owner');
      expect(body[2]).toMatchObject({ status: 'FAILED', cancellable: false });
    }
    const short = await t.app.request('/api/operations/?finished_within_seconds=60', { headers });
    expect(((await short.json()) as unknown[]).length).toBe(2);
    expect((await t.app.request('/api/operations/?finished_within_seconds=x', { headers })).status).toBe(400);
    expect((await t.app.request('/api/operations/')).status).toBe(401);
    const one = await t.app.request(`/api/operations/${active.id}/`, {
      headers: { ...headers, 'Accept-Language': 'en' },
    });
    expect(await one.json()).toMatchObject({
      id: active.id,
      target_label: 'web-01',
      step: 'Copying disk1-flat.vmdk',
      error_code: null,
    });
  });

  it('cancels through the API: operators only, at once when pending, 409 when it cannot', async () => {
    const viewer = await t.apiUser('viewer');
    const operator = await t.apiUser('operator');
    const active = await running('web-02');
    const cancel = (id: number, headers: Record<string, string>) =>
      t.app.request(`/api/operations/${id}/cancel/`, { method: 'POST', headers });
    expect((await cancel(active.id, viewer.headers)).status).toBe(403);
    const accepted = await cancel(active.id, operator.headers);
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({
      outcome: 'requested',
      operation: { cancel_requested: true },
    });
    await waitForStatus(t.database.db, active.id, 'CANCELLED', 3000);
    const finished = await cancel(active.id, operator.headers);
    expect(finished.status).toBe(409);
    expect(await finished.json()).toMatchObject({
      code: 'already_finished',
      message: 'Cette opération est déjà terminée.',
    });
    const restore = await running('db-01', 'restore');
    const refused = await cancel(restore.id, { ...operator.headers, 'Accept-Language': 'en' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      code: 'not_cancellable',
      message: 'This operation cannot be cancelled.',
    });
    expect((await cancel(987654, operator.headers)).status).toBe(404);
  });

  it('the widget shows a running card with its percent and step, keeps finished ones 10 s, then polls slowly', async () => {
    const { cookie } = await t.signIn('viewer');
    const widget = async () => {
      const res = await t.app.request('/operations/widget', {
        headers: { Cookie: cookie, 'HX-Request': 'true' },
      });
      expect(res.status).toBe(200);
      return res.text();
    };
    const empty = await widget();
    expect(empty).toContain('id="operations-widget"');
    expect(empty).toContain('hx-trigger="every 10s, operations-changed from:body"');

    const active = await running('web-03');
    const done = await insertJob(t.database.db, { type: 'restore', target_label: 'fresh-restore' });
    await finishedAgo(done.id, 2);
    const gone = await insertJob(t.database.db, { type: 'restore', target_label: 'stale-restore' });
    await finishedAgo(gone.id, 11);
    const html = await widget();
    expect(html).toContain('hx-trigger="every 1s, operations-changed from:body"');
    expect(html).toContain('hx-swap="outerHTML settle:0ms"');
    const cards = html.split('data-testid="operation-card"').slice(1);
    expect(cards).toHaveLength(2);
    expect(cards[0]).toContain(`data-job-id="${active.id}"`);
    expect(cards[0]).toContain('Sauvegarde');
    expect(cards[0]).toContain('web-03');
    expect(cards[0]).toMatch(/data-testid="operation-progress"><progress value="37" max="100"/);
    expect(cards[0]).toContain('37 %');
    expect(cards[0]).toContain('370 Mo sur 1000 Mo');
    expect(cards[0]).toMatch(/data-testid="operation-step">Copie de disk1-flat.vmdk</);
    expect(cards[1]).toContain('data-status="COMPLETED"');
    expect(html).toContain('class="operation-card operation-completed"');
    expect(cards[1]).toContain('fresh-restore');
    expect(html).not.toContain('stale-restore');
    expect(html).not.toContain('operation-cancel');
  });

  it('offers cancel to operators for cancellable types, and cancels from the widget with the CSRF header', async () => {
    const active = await running('web-04');
    const restore = await running('db-02', 'restore');
    const viewer = await t.signIn('viewer');
    const operator = await t.signIn('operator');
    const html = await (
      await t.app.request('/operations/widget', {
        headers: { Cookie: operator.cookie, 'Accept-Language': 'en' },
      })
    ).text();
    expect(html).toContain(`hx-post="/operations/${active.id}/cancel"`);
    expect(html).not.toContain(`hx-post="/operations/${restore.id}/cancel"`);
    expect(html).toContain('Backup');
    // Without HX-Request for the refusals: src/http/errors.tsx cannot yet put a French message with ’ in
    // its HX-Trigger toast header (reported to the lead).
    const post = (session: { cookie: string; csrf: string }, csrf = session.csrf, htmx = false) =>
      t.app.request(`/operations/${active.id}/cancel`, {
        method: 'POST',
        headers: {
          Cookie: session.cookie,
          ...(htmx ? { 'HX-Request': 'true' } : {}),
          'X-CSRF-Token': csrf,
          Origin: 'http://localhost',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
      });
    expect((await post(viewer)).status).toBe(403);
    expect((await post(operator, 'wrong')).status).toBe(403);
    const res = await post(operator, operator.csrf, true);
    expect(res.status).toBe(200);
    const trigger = JSON.parse(res.headers.get('HX-Trigger') ?? '{}');
    expect(trigger).toEqual({ toast: { level: 'success', message: 'Annulation demandée.' } });
    expect(await res.text()).toContain('id="operations-widget"');
    await waitForStatus(t.database.db, active.id, 'CANCELLED', 3000);
  });

  it('every page carries the widget slot, which loads the fragment', async () => {
    const { cookie } = await t.signIn('viewer');
    const page = await (await t.app.request('/', { headers: { Cookie: cookie } })).text();
    expect(page).toMatch(
      /id="operations-widget"[^>]*hx-get="\/operations\/widget"[^>]*hx-trigger="load, every 10s, operations-changed from:body"/,
    );
    const login = await (await t.app.request('/login')).text();
    expect(login).not.toContain('hx-get="/operations/widget"');
  });
});
