import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyVm, vmRef } from '../../src/vsphere/index.js';
import { connect, putFile } from '../backup/support.js';
import { adminHeaders, apiClient, fetchOn, registerSimulator } from '../support/api-client.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { launchBrowser, newPage } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { englishIn } from '../support/english.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { eventEnded, runEnded, vmId, vmNamed } from './support.js';

describe('replication followed in the browser', () => {
  let database: TestDatabase;
  let app: AppProcess;
  let source: Simulator;
  let dest: Simulator;
  let browser: Browser;
  let page: Page;
  let api: ReturnType<typeof apiClient>;
  let ids: { source: number; dest: number };

  beforeAll(async () => {
    [database, source, dest, browser] = await Promise.all([
      createTestDatabase(),
      startSimulator({ tls: true }),
      startSimulator({ tls: false }),
      launchBrowser(),
    ]);
    const headers = await adminHeaders(database.db);
    const client = await connect(source);
    await putFile(client, source, `${source.vms[0]}/disk1-flat.vmdk`, randomBytes(512 * 1024 * 1024));
    await client.logout();
    app = await startApp({
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ebm-repl-')),
    });
    api = apiClient(
      fetchOn(() => app.url),
      headers,
    );
    ids = {
      source: await registerSimulator(api, 'source', source),
      dest: await registerSimulator(api, 'dest', dest),
    };
    page = await newPage(browser, 'fr');
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${app.url}/login`);
    await page.fill('input[name=username]', 'ops');
    await page.fill('input[name=password]', 'ops-password');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${app.url}/`);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await Promise.all([source?.stop(), dest?.stop()]);
    await database?.drop();
  });

  /** The row of the replication named `name` on the Replication page. */
  const rowNamed = (name: string) => page.getByTestId('replication-row').filter({ hasText: name });

  it('creates a replication, starts it, keeps the bar across a reload, then offers delete-and-continue', async () => {
    const row = rowNamed('web');
    const bar = () => row.getByTestId('run-bar');
    await page.goto(`${app.url}/`);
    await page.click('[data-testid=sidebar] >> text=Réplication');
    await page.getByTestId('new-replication').click();
    const form = page.getByTestId('replication-form');
    await form.locator('input[name=name]').fill('web');
    await form.locator('select[name=virtual_machine]').selectOption({ label: `${source.vms[0]} (source)` });
    await form.locator('select[name=destination_server]').selectOption({ label: 'source' });
    await form.locator('input[name=destination_datastore]').fill(dest.datastores[0]?.name as string);
    await page.getByTestId('save-replication').click();
    await expect
      .poll(() => page.getByTestId('error-destination_server').textContent())
      .toContain('différent');
    await form.locator('select[name=destination_server]').selectOption({ label: 'dest' });
    await page.getByTestId('save-replication').click();
    await row.waitFor();
    expect(await row.getByTestId('replication-status').textContent()).toBe('Active');

    await row.getByTestId('start-replication').click();
    await expect.poll(() => bar().getAttribute('data-status'), { timeout: 15_000 }).toBe('running');
    await expect
      .poll(async () => Number.parseInt((await row.getByTestId('run-percent').textContent()) ?? '0', 10), {
        timeout: 30_000,
      })
      .toBeGreaterThan(5);
    await page.reload();
    expect(await bar().getAttribute('data-status')).toBe('running');
    await expect.poll(() => bar().getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    expect(await row.getByTestId('run-message').textContent()).toMatch(/^Réplication terminée/);

    await row.getByTestId('start-replication').click();
    const modal = page.getByTestId('replica-exists-dialog');
    await modal.waitFor();
    expect(await modal.textContent()).toContain(`${source.vms[0]}_replica`);
    await page.getByTestId('replica-exists-cancel').click();
    expect(await modal.count()).toBe(0);
    expect(await bar().getAttribute('data-status')).toBe('completed');

    await row.getByTestId('start-replication').click();
    await page.getByTestId('delete-and-continue').click();
    await expect.poll(() => page.getByTestId('replica-exists-dialog').count()).toBe(0);
    await expect.poll(() => bar().getAttribute('data-status'), { timeout: 60_000 }).toBe('running');
    await expect.poll(() => bar().getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    const client = await connect(dest);
    expect((await vmNamed(client, `${source.vms[0]}_replica`))?.power_state).toBe('poweredOff');
    await client.logout();
  });

  it('asks before resuming over the replica that a manual failover put in service', async () => {
    const vmName = source.vms[1] as string;
    const vms = (await api.call('GET', `/api/virtual-machines/?esxi_server=${ids.source}&search=${vmName}`))
      .body;
    const created = await api.call('POST', '/api/vm-replications/', {
      name: 'drill',
      virtual_machine: vms.find((v) => v.name === vmName)?.id,
      destination_server: ids.dest,
      destination_datastore: dest.datastores[0]?.name,
    });
    const started = await api.call('POST', `/api/vm-replications/${created.body.id}/start_replication/`);
    const progress = `/api/vm-replications/runs/${started.body.replication_id}/progress/`;
    expect(await api.until(progress, (p) => p.status !== 'starting' && p.status !== 'running')).toMatchObject(
      {
        status: 'completed',
      },
    );
    const row = rowNamed('drill');
    await page.goto(`${app.url}/replication/`);
    await row.getByTestId('failover-replication').click();
    const failover = page.getByTestId('failover-dialog');
    await failover.locator('textarea[name=reason]').fill('maintenance');
    await failover.locator('input[name=test_mode]').uncheck();
    await page.getByTestId('failover-submit').click();
    const status = () => row.getByTestId('replication-status').textContent();
    await expect
      .poll(
        async () => {
          await page.reload();
          return status();
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe('En pause');

    await row.getByTestId('resume-replication').click();
    const confirm = page.getByTestId('resume-overwrite-dialog');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(`La réplique ${vmName}_replica est en service`);
    await page.getByTestId('resume-overwrite-cancel').click();
    expect(await confirm.count()).toBe(0);
    expect(await status()).toBe('En pause');

    await row.getByTestId('resume-replication').click();
    await page.getByTestId('resume-overwrite').click();
    await expect.poll(status).toBe('Active');
    await expect.poll(() => page.getByTestId('resume-overwrite-dialog').count()).toBe(0);
  });

  it('shows a test failover and a failed failover on the French history page without an English sentence', async () => {
    const [own, ownDest] = await Promise.all([
      startSimulator({ tls: false }),
      startSimulator({ tls: false }),
    ]);
    try {
      const serverId = await registerSimulator(api, 'lab-source', own);
      const destId = await registerSimulator(api, 'lab-dest', ownDest);
      const vmIds: number[] = [];
      for (const name of own.vms.slice(0, 2)) vmIds.push(await vmId(api, serverId, name));
      const replication = async (name: string, vm: number | undefined) =>
        (
          await api.call('POST', '/api/vm-replications/', {
            name,
            virtual_machine: vm,
            destination_server: destId,
            destination_datastore: ownDest.datastores[0]?.name,
          })
        ).body.id as number;
      /** A replication of `vm` run once to completion. */
      const replicated = async (name: string, vm: number | undefined) => {
        const id = await replication(name, vm);
        const started = await api.call('POST', `/api/vm-replications/${id}/start_replication/`);
        await api.until(`/api/vm-replications/runs/${started.body.replication_id}/progress/`, runEnded);
        return id;
      };
      const failover = async (id: number, test_mode: boolean) => {
        const event = await api.call('POST', `/api/vm-replications/${id}/trigger_failover/`, {
          reason: 'exercice',
          test_mode,
        });
        expect(event.status, JSON.stringify(event.body)).toBe(201);
        return (await api.until(`/api/failover-events/${event.body.id}/`, eventEnded)).status;
      };
      expect(await failover(await replicated('lab-drill', vmIds[0]), true)).toBe('completed');
      const lost = await replicated('replica-lost', vmIds[1]);
      const client = await connect(ownDest);
      const replica = await vmNamed(client, `${own.vms[1]}_replica`);
      if (replica) await destroyVm(client, vmRef(replica.moref));
      await client.logout();
      expect(await failover(lost, false)).toBe('failed');

      await page.goto(`${app.url}/failover`);
      for (const summary of await page.locator('main details > summary').all()) await summary.click();
      await expect.poll(() => page.getByTestId('failover-steps').first().isVisible()).toBe(true);
      const text = await page.locator('main').innerText();
      expect(text).toContain('Aucune réplique');
      expect(text.toLowerCase()).toContain('réseau de test');
      expect(englishIn(text)).toEqual([]);
    } finally {
      await Promise.all([own.stop(), ownDest.stop()]);
    }
  }, 180_000);
});
