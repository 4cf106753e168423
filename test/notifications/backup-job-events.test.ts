/**
 * @module test/notifications/backup-job-events: backup job runs and the notifications (issues 14 and 15
 * together): a run whose VM fails after its retry reaches the webhook channel that chose `backup_job.failed`,
 * naming the job, the VM, its host and the error, in the channel's language; a successful run reaches the
 * channel that chose `backup_job.success` and not the other; the daily summary lists each active job's last run,
 * failed first; the protection report names the job of each VM and whether its RPO is met.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translate.js';
import { startDeliveryLoop } from '../../src/notifications/index.js';
import { dailySummary } from '../../src/notifications/summary.js';
import { protectionReport } from '../../src/reports/protection-report.js';
import { removeStorageDirs } from '../backup/support.js';
import { createJob, type JobsWorld, jobsWorld, runToEnd } from '../backup-jobs/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { waitDeliveries } from './support.js';

describe('backup job runs in the notifications and reports', () => {
  let sim: Simulator;
  let t: TestApp;
  let w: JobsWorld;
  let hook: Server;
  let url = '';
  let loop: { stop(): Promise<void> };
  const bodies: Array<{ title: string; text: string; facts: Record<string, unknown> }> = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        bodies.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    sim = await startSimulator({ tls: false, vms: 2 });
    t = await createTestApp(
      { NOTIFY_POLL_MS: '100', PUBLIC_URL: 'https://ebm.example.org' },
      { runner: true },
    );
    w = await jobsWorld(t, sim);
    loop = startDeliveryLoop(t.deps);
  });
  afterAll(async () => {
    await loop?.stop();
    await t?.close();
    await sim?.stop();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
    removeStorageDirs();
  });

  const channel = async (name: string, events: string[], language = 'fr') => {
    const { headers } = await t.apiUser('admin');
    const res = await t.app.request('/api/notification-channels/', {
      method: 'POST',
      headers,
      body: JSON.stringify({ name, kind: 'webhook', language, events, config: { url: `${url}/${name}` } }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: number }).id;
  };

  it('sends a failed run to its channel, a good run to the other, and shows both in the summary and the report', async () => {
    const failures = await channel('failures', ['backup_job.failed'], 'en');
    const successes = await channel('successes', ['backup_job.success']);
    const broken = 'ha-host_VM1';
    rmSync(path.join(sim.datastores[0]?.path ?? '', broken, 'disk1-flat.vmdk'), { force: true });
    const bad = await createJob(w, {
      name: 'broken-job',
      virtual_machines: [w.vms[broken]],
      use_change_tracking: false,
      retry_count: 1,
      retry_delay_seconds: 1,
    });
    expect((await runToEnd(w, bad.id as number)).status).toBe('failed');
    await waitDeliveries(t.database.db, failures, (rows) => rows[0]?.status === 'sent', 30_000);
    const failed = bodies.find((b) => b.title.includes('broken-job'));
    expect(failed?.title).toMatch(/broken-job/);
    expect(failed?.text).toContain(`${broken} (esx-a)`);
    expect(failed?.text).toMatch(/failed|error/i);
    expect(failed?.facts).toMatchObject({ job: 'broken-job', vm: broken, host: 'esx-a' });

    const good = await createJob(w, {
      name: 'good-job',
      virtual_machines: [w.vms['ha-host_VM0']],
      use_change_tracking: false,
      schedule: { preset: 'daily', time: '22:00', timezone: 'UTC' },
    });
    expect((await runToEnd(w, good.id as number)).status).toBe('success');
    await waitDeliveries(t.database.db, successes, (rows) => rows[0]?.status === 'sent', 30_000);
    expect(bodies.filter((b) => b.title.includes('good-job'))).toHaveLength(1);
    const failuresRows = await waitDeliveries(t.database.db, failures, () => true);
    expect(failuresRows).toHaveLength(1); // the good run went to its own channel only

    const summary = await dailySummary(t.database.db, new Date(), 'UTC');
    const lines = summary.lines.map((m) => translator('fr').message(m));
    const jobs = lines.slice(lines.indexOf('Tâches de sauvegarde (dernière exécution) :') + 1);
    expect(jobs[0]).toMatch(/^- broken-job : échec, démarrée le /);
    expect(jobs[1]).toMatch(/^- good-job : réussie, démarrée le /);

    const dir = mkdtempSync(path.join(tmpdir(), 'ebm-job-report-'));
    const file = path.join(dir, 'protection.pdf');
    writeFileSync(file, await protectionReport(t.database.db, 'fr'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toMatch(/VM \(hôte\) Tâches de RPO/); // the header wraps in its column
    expect(text).toMatch(/ha-host_VM0 \(esx-a\) good-job/);
    expect(text).toMatch(/ha-host_VM1 \(esx-a\) broken-job/);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
});
