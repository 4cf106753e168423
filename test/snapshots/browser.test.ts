/**
 * The VM page's Snapshots section in Debian's Chromium, on a simulated host with a job runner: an operator
 * creates a snapshot through the form, sees it in the tree once its operation is over, reverts to it after the
 * dialog says what happens to a running VM, then deletes it; each change shows on the host too. Then a
 * snapshot schedule is made through the form and listed, edited (a refused value first) and deleted. A screenshot lands in
 * test-results/vm-snapshots.png.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVirtualMachines } from '../../src/db/inventory.js';
import {
  asString,
  readSnapshotTree,
  retrieveOne,
  type VSphereClient,
  vmRef,
} from '../../src/vsphere/index.js';
import { addServer, connect } from '../backup/support.js';
import { launchBrowser } from '../support/browser.js';
import { type SignedInPage, signedInPage } from '../support/signed-in-page.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('snapshots on the VM page in the browser', () => {
  let t: TestApp;
  let sim: Simulator;
  let client: VSphereClient;
  let served: SignedInPage;
  let url: string;
  let browser: Browser;
  let page: Page;
  let vm = { id: 0, moref: '', name: '' };

  beforeAll(async () => {
    [t, browser, sim] = await Promise.all([
      createTestApp({}, { runner: true }),
      launchBrowser(),
      startSimulator({ tls: false, vms: 1 }),
    ]);
    const row = (await listVirtualMachines(t.deps.db, { esxi_server: await addServer(t.deps, sim, 'esx') }))
      .rows[0]?.vm;
    vm = { id: row?.id ?? 0, moref: row?.moref ?? '', name: row?.name ?? '' };
    client = await connect(sim);
    served = await signedInPage(t, browser, 'operator');
    ({ url, page } = served);
  });
  afterAll(async () => {
    await client?.logout();
    await browser?.close();
    served?.close();
    await t?.close();
    await sim?.stop();
  });

  const hostNames = async () =>
    (await readSnapshotTree(client, vmRef(vm.moref))).snapshots.map((s) => s.name);
  const idle = () =>
    expect
      .poll(() => page.getByTestId('vm-snapshots').getAttribute('data-busy'), { timeout: 20_000 })
      .toBe('false');

  it('creates a snapshot, sees it in the tree, reverts to it and deletes it', async () => {
    await page.goto(`${url}/virtual-machines/${vm.id}`);
    await expect.poll(() => page.getByTestId('snapshots-empty').textContent()).toBe('Aucun snapshot.');

    await page.getByTestId('snapshot-field-name').fill('avant mise à jour');
    await page.fill('#vm-snapshots input[name=description]', 'état propre');
    await page.getByTestId('snapshot-create').click();
    await expect.poll(() => page.getByTestId('snapshots-notice').textContent()).toContain('Opération lancée');
    await expect
      .poll(() => page.locator('[data-job-type=snapshot_create] header').first().textContent(), {
        timeout: 10_000,
      })
      .toContain('Création de snapshot');
    await idle();
    expect(await page.getByTestId('snapshot-name').allTextContents()).toEqual(['avant mise à jour']);
    expect(await page.getByTestId('snapshot-row').first().textContent()).toContain('actuel');
    expect(await page.getByTestId('snapshot-row').first().textContent()).toContain('état propre');
    expect(await hostNames()).toEqual(['avant mise à jour']);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/vm-snapshots.png', fullPage: true });

    await page.getByTestId('snapshot-revert').click();
    await expect
      .poll(() => page.getByTestId('snapshot-confirm-text').textContent())
      .toContain('La VM est allumée. Elle prendra l’état du snapshot (éteinte)');
    await page.getByTestId('snapshot-confirm').click();
    await expect.poll(() => page.getByTestId('snapshot-revert-dialog').count()).toBe(0);
    await idle();
    const power = await retrieveOne(client, vmRef(vm.moref), ['runtime.powerState']);
    expect(asString(power['runtime.powerState'])).toBe('poweredOff');

    await page.getByTestId('snapshot-delete').click();
    await page.getByTestId('snapshot-confirm').click();
    await idle();
    await expect.poll(() => page.getByTestId('snapshots-empty').textContent()).toBe('Aucun snapshot.');
    expect(await hostNames()).toEqual([]);
    expect(served.problems).toEqual([]);
  });

  it('makes, edits (an error in place first) and deletes a snapshot schedule through its form', async () => {
    await page.goto(`${url}/virtual-machines/${vm.id}`);
    await page.getByTestId('vm-snapshot-schedule-new').click();
    await page.fill('input[name=name]', 'toutes les heures');
    await page.selectOption('select[name=schedule_preset]', 'daily');
    await page.fill('input[name=schedule_time]', '21:30');
    await page.fill('input[name=keep_last]', '2');
    await page.getByTestId('snapshot-schedule-save').click();
    await page.waitForURL(`${url}/snapshot-schedules/`);
    const row = page.getByTestId('snapshot-schedule-row');
    expect(await row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('toutes les heures');
    expect(text).toContain(vm.name);
    expect(text).toContain('21:30');

    await page.getByTestId('snapshot-schedule-edit').click();
    await page.fill('input[name=keep_last]', '0');
    await page.getByTestId('snapshot-schedule-save').click();
    await expect
      .poll(() => page.getByTestId('error-keep_last').textContent())
      .toBe('Un nombre entier de 1 à 1000.');
    await page.fill('input[name=keep_last]', '4');
    await page.getByTestId('snapshot-schedule-save').click();
    await page.waitForURL(`${url}/snapshot-schedules/`);
    expect(await page.getByTestId('snapshot-schedule-row').locator('td').nth(4).textContent()).toBe('4');

    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('snapshot-schedule-delete').click();
    await expect.poll(() => page.getByTestId('snapshot-schedules-empty').count()).toBe(1);
    expect(served.problems).toEqual([]);
  });
});
