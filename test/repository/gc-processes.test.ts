/**
 * @module test/repository/gc-processes: garbage collection across app processes, on the real Postgres, the
 * simulator and real files. A GC run by a second app process while this one backs up a VM sweeps the garbage
 * but none of the chunks the backup reuses, and the new restore point restores byte-identical; a GC waits
 * while another OS process holds the repository's GC lock (saying so), and runs once that process is gone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { jobs } from '../../src/db/schema.js';
import { msg, storeMessage } from '../../src/i18n/message.js';
import { initRepository } from '../../src/repository/config.js';
import { closeChunkPool } from '../../src/repository/pool.js';
import type { VSphereClient } from '../../src/vsphere/index.js';
import { addServer, connect, putFile, sha256 } from '../backup/support.js';
import { type AppProcess, startApp } from '../support/app-process.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { age, chunkFiles, cleanup, MiB, pieces, plainChunkFile, tempDir, writeOrphans } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_SECRET = 'test-secret-test-secret-test-secret-0123456789';
const TWO_HOURS_AGO = () => new Date(Date.now() - 2 * 3600_000);
// biome-ignore lint/suspicious/noExplicitAny: JSON answers read field by field
type Json = Record<string, any>;

describe('garbage collection across app processes', () => {
  let esx: Simulator;
  let client: VSphereClient;
  let t: TestApp;
  let headers: Record<string, string>;
  let serverId: number;
  let other: AppProcess | undefined;
  let holder: ChildProcess | undefined;
  const disk = randomBytes(384 * MiB);

  /** A call to this process's app (`base` unset) or to another app process. */
  const call = async (method: string, url: string, body?: unknown, base?: string) => {
    const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    const res = base ? await fetch(base + url, init) : await t.app.request(url, init);
    return { status: res.status, body: (await res.json()) as Json };
  };
  const jobRow = async (id: number) => (await t.deps.db.select().from(jobs).where(eq(jobs.id, id)))[0];
  const finished = async (id: number, timeout = 120_000) => {
    await expect
      .poll(async () => (await jobRow(id))?.status, { timeout, interval: 100 })
      .toMatch(/^(COMPLETED|FAILED|CANCELLED)$/);
    return (await jobRow(id)) as NonNullable<Awaited<ReturnType<typeof jobRow>>>;
  };
  const storagePath = async (name: string) => {
    const dir = await tempDir('ebm-gc-proc-');
    const created = await call('POST', '/api/storage-paths/', { name, path: dir });
    expect(created.status).toBe(201);
    return { id: created.body.id as number, dir, repo: await initRepository(dir, {}) };
  };

  beforeAll(async () => {
    esx = await startSimulator({ tls: true });
    // One job at a time here: while the backup runs, this process's runner cannot take the GC.
    t = await createTestApp({ JOB_CONCURRENCY: '1', APP_SECRET }, { runner: true });
    headers = (await t.apiUser('admin')).headers;
    client = await connect(esx);
    await putFile(client, esx, `${esx.vms[0]}/disk1-flat.vmdk`, disk);
    serverId = await addServer(t.deps, esx, 'esx');
  });
  afterAll(async () => {
    holder?.kill('SIGKILL');
    await other?.stop();
    await client?.logout();
    await t?.close();
    await esx?.stop();
    await closeChunkPool();
    await cleanup();
  });

  it('a GC run by another app process during a backup sweeps garbage only: the new restore point restores byte-identical', async () => {
    const storage = await storagePath('shared');
    // What a killed backup of this very disk left (chunks the backup will reuse), plus pure garbage; all old.
    await writeOrphans(storage.repo, { 'disk1-flat.vmdk': disk }, 900);
    const garbage = pieces(2);
    await writeOrphans(storage.repo, { 'other-flat.vmdk': Buffer.concat(garbage) }, 901);
    await age(await chunkFiles(storage.dir), TWO_HOURS_AGO());

    // The other process polls only when woken by its own API: it takes the GC, never the backup.
    other = await startApp({
      DATABASE_URL: t.database.url,
      DATA_DIR: await tempDir('ebm-gc-other-'),
      APP_SECRET,
      JOB_POLL_MS: '60000',
      REPOSITORY_VERIFY_INTERVAL_DAYS: '0',
      INVENTORY_SYNC_INTERVAL_SECONDS: '0',
    });
    const vm = (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows.find(
      (r) => r.vm.name === esx.vms[0],
    )?.vm;
    const backup = await call('POST', '/api/vm-backups/', {
      virtual_machine: vm?.id,
      storage_path: storage.id,
    });
    expect(backup.status).toBe(201);
    // 40 % of the disk read: the chunks reused so far were touched seconds before the GC starts, so a GC
    // that ignored running backups (cutoff = its own start) would sweep them and the restore would fail.
    await expect
      .poll(async () => (await call('GET', `/api/vm-backups/${backup.body.id}/`)).body.bytes_done, {
        timeout: 60_000,
        interval: 20,
      })
      .toBeGreaterThanOrEqual(disk.length * 0.4);

    const gc = await call('POST', `/api/storage-paths/${storage.id}/garbage_collect/`, undefined, other.url);
    expect(gc.status).toBe(202);
    const gcJob = await finished(gc.body.id);
    const backupJob = await finished(backup.body.job_id);
    expect(gcJob.status).toBe('COMPLETED');
    expect(backupJob).toMatchObject({ status: 'COMPLETED', error: null });
    // The GC ran in the other process and started while the backup was running.
    expect(other.logs()).toContain('repository garbage collected');
    expect(t.logs()).not.toContain('repository garbage collected');
    expect(gcJob.started_at?.getTime()).toBeGreaterThan(backupJob.started_at?.getTime() ?? Infinity);
    expect(gcJob.started_at?.getTime()).toBeLessThan(backupJob.finished_at?.getTime() ?? 0);
    for (const piece of garbage) expect(existsSync(plainChunkFile(storage.dir, piece))).toBe(false);

    const restore = await call('POST', `/api/vm-backups/${backup.body.id}/restore/`, {
      esxi_server: serverId,
      datastore: esx.datastores[0]?.name,
      vm_name: 'after-gc',
    });
    expect(restore.status).toBe(201);
    await expect
      .poll(async () => (await call('GET', `/api/restores/${restore.body.id}/`)).body.status, {
        timeout: 120_000,
      })
      .toMatch(/^(COMPLETED|FAILED)$/);
    expect((await call('GET', `/api/restores/${restore.body.id}/`)).body).toMatchObject({
      status: 'COMPLETED',
      error: null,
    });
    const restored = readFileSync(path.join(esx.datastores[0]?.path ?? '', 'after-gc', 'disk1-flat.vmdk'));
    expect(sha256(restored)).toBe(sha256(disk));
  }, 300_000);

  it('runs one GC per repository at a time: it waits, saying so, while another process holds the lock', async () => {
    const storage = await storagePath('locked');
    const [garbage] = pieces(1) as [Buffer];
    await writeOrphans(storage.repo, { 'other-flat.vmdk': garbage }, 902);
    await age(await chunkFiles(storage.dir), TWO_HOURS_AGO());
    const node = path.join(ROOT, 'node_modules/.bin/node');
    const script = 'test/repository/gc-lock-holder.ts';
    holder = spawn(node, ['--import', 'tsx', script, t.database.url, storage.dir], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: holder.stdout as NonNullable<ChildProcess['stdout']> });
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => line === 'locked' && resolve());
      holder?.once('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
    });

    const gc = await call('POST', `/api/storage-paths/${storage.id}/garbage_collect/`);
    expect(gc.status).toBe(202);
    const waiting = storeMessage(msg('storage.step.gc_waiting'));
    await expect.poll(async () => (await jobRow(gc.body.id))?.step, { timeout: 20_000 }).toBe(waiting);
    const again = await call('POST', `/api/storage-paths/${storage.id}/garbage_collect/`);
    expect(again).toMatchObject({
      status: 409,
      body: { code: 'repository_job_active', operation: gc.body.id },
    });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await jobRow(gc.body.id)).toMatchObject({ status: 'IN_PROGRESS', step: waiting });
    expect(existsSync(plainChunkFile(storage.dir, garbage))).toBe(true);

    // A GC process that dies releases the lock with its database session.
    holder.kill('SIGKILL');
    expect((await finished(gc.body.id, 30_000)).status).toBe('COMPLETED');
    expect(existsSync(plainChunkFile(storage.dir, garbage))).toBe(false);
  }, 60_000);
});
