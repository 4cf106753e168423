/**
 * @module test/storage/repository-admin: storage paths as admins manage their repositories: encrypted creation
 * through the API and the page (wrong passphrase, confirmation, key shown once, passphrase never answered or
 * logged), verify marking a flipped-chunk restore point corrupt, GC removing an orphan chunk and keeping the
 * referenced ones, and the repository metrics. Real Postgres, real files, the job runner running.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJob } from '../../src/db/jobs.js';
import { jobs, vm_backups } from '../../src/db/schema.js';
import { openRepository } from '../../src/repository/config.js';
import { chunkPath } from '../../src/repository/format.js';
import {
  age,
  cleanup,
  flipLastByte,
  pieces,
  plainChunkFile,
  tempDir,
  writePoint,
} from '../repository/support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PASSPHRASE = 'Tr0ub4dor&3-horse-battery';
// biome-ignore lint/suspicious/noExplicitAny: JSON answers read field by field
type Json = Record<string, any>;

describe('storage path repositories', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  const call = async (method: string, url: string, body?: unknown, status?: number) => {
    const res = await t.app.request(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = res.status === 204 ? null : await res.json();
    if (status !== undefined) expect(res.status, JSON.stringify(json)).toBe(status);
    return json as Json;
  };
  const waitJob = async (id: number) => {
    for (let i = 0; i < 300; i++) {
      const op = await call('GET', `/api/operations/${id}/`);
      if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(op.status)) return op;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`operation ${id} did not finish`);
  };
  /** A restore point written into the storage path's repository, with its vm_backups row. */
  const restorePoint = async (storageId: number, dir: string, files: Record<string, Buffer>) => {
    const job = await insertJob(t.deps.db, { type: 'vm_backup', target_label: 'vm1' });
    const repo = await openRepository(dir);
    const commit = await writePoint(repo, files, { jobId: job.id });
    await t.deps.db.update(jobs).set({ status: 'COMPLETED', finished_at: new Date() }).where(eqId(job.id));
    const [row] = await t.deps.db
      .insert(vm_backups)
      .values({
        job_id: job.id,
        vm_name: 'vm1',
        storage_path_id: storageId,
        format: 'repository',
        index_path: commit.indexPath,
        backup_dir: dir,
        manifest_sha256: commit.indexSha256,
        logical_bytes: commit.logicalBytes,
        bytes_written: commit.bytesWritten,
      })
      .returning();
    return row as typeof vm_backups.$inferSelect;
  };

  beforeAll(async () => {
    t = await createTestApp({}, { runner: true });
    headers = (await t.apiUser('admin')).headers;
  });
  afterAll(async () => {
    await t?.close();
    await cleanup();
  });

  it('creates an encrypted repository through the API: key once, wrong passphrase refused, never the passphrase', async () => {
    const dir = path.join(await tempDir(), 'vault');
    const created = await call(
      'POST',
      '/api/storage-paths/',
      { name: 'vault', path: dir, encrypted: true, passphrase: PASSPHRASE },
      201,
    );
    expect(created.master_key).toMatch(/^[0-9a-f]{64}$/);
    expect(created).toMatchObject({ encrypted: true, logical_bytes: 0, physical_bytes: 0, chunk_count: 0 });
    expect(existsSync(path.join(dir, 'repository.json'))).toBe(true);
    const again = await call('GET', `/api/storage-paths/${created.id}/`, undefined, 200);
    expect(again).not.toHaveProperty('master_key');
    expect(JSON.stringify(again)).not.toContain('repository_key_sealed');
    // the sealed key opens the repository
    const [row] = await t.deps.db.query.storage_paths.findMany({
      where: (s, { eq }) => eq(s.id, created.id),
    });
    expect(row?.repository_key_sealed).toBeTruthy();
    expect(row?.repository_key_sealed).not.toContain(created.master_key);
    await openRepository(dir, { masterKey: Buffer.from(created.master_key, 'hex') });

    const wrong = await call(
      'POST',
      '/api/storage-paths/',
      { name: 'vault-2', path: dir, encrypted: true, passphrase: 'not the passphrase' },
      400,
    );
    expect(wrong.code).toBe('repository_wrong_passphrase');
    expect(Object.keys(wrong.errors)).toEqual(['passphrase']);
    const right = await call(
      'POST',
      '/api/storage-paths/',
      { name: 'vault-2', path: dir, encrypted: true, passphrase: PASSPHRASE },
      201,
    );
    expect(right).not.toHaveProperty('master_key');
    await call('PATCH', `/api/storage-paths/${right.id}/`, { encrypted: false }, 400);
    const missing = await call(
      'POST',
      '/api/storage-paths/',
      { name: 'vault-3', path: `${dir}-3`, encrypted: true },
      400,
    );
    expect(Object.keys(missing.errors)).toEqual(['passphrase']);
    expect(t.logs()).not.toContain(PASSPHRASE);
    expect(t.logs()).not.toContain(created.master_key);
  });

  it('creates an encrypted repository through the page: confirmation checked, key shown once, warning in French', async () => {
    const { cookie, csrf } = await t.signIn('admin');
    const dir = path.join(await tempDir(), 'page-vault');
    const post = (fields: Record<string, string>) =>
      t.app.request('/storage-paths/', {
        method: 'POST',
        headers: {
          Cookie: cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'http://localhost',
          'X-CSRF-Token': csrf,
        },
        body: new URLSearchParams({ _csrf: csrf, name: 'page-vault', path: dir, encrypted: 'on', ...fields }),
      });
    const form = await (await t.app.request('/storage-paths/', { headers: { Cookie: cookie } })).text();
    expect(form).toContain('Perdre la phrase secrète, c’est perdre les sauvegardes');
    const mismatch = await post({ passphrase: PASSPHRASE, passphrase_confirm: 'something else' });
    expect(mismatch.status).toBe(400);
    const mismatchPage = await mismatch.text();
    expect(mismatchPage).toContain('ne correspond pas à la phrase secrète');
    expect(mismatchPage).not.toContain(PASSPHRASE);
    expect(existsSync(path.join(dir, 'repository.json'))).toBe(false);

    const ok = await post({ passphrase: PASSPHRASE, passphrase_confirm: PASSPHRASE });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const page = await ok.text();
    const key = /data-testid="master-key"><code>([0-9a-f]{64})</.exec(page)?.[1];
    expect(key).toBeTruthy();
    expect(page).not.toContain(PASSPHRASE);
    const later = await (await t.app.request('/storage-paths/', { headers: { Cookie: cookie } })).text();
    expect(later).toContain('page-vault');
    expect(later).not.toContain(key as string);
    // Each column shows what its header names.
    const headers = [...later.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]);
    const row = /<tr data-testid="storage-path-\d+">(?:(?!<\/tr>).)*page-vault(?:(?!<\/tr>).)*<\/tr>/s.exec(
      later,
    )?.[0];
    const cells = (row ?? '')
      .split('<td')
      .slice(1)
      .map((cell) => cell.replace(/<[^>]*>|^[^>]*>/g, ''));
    expect(cells).toHaveLength(headers.length);
    expect(cells[headers.indexOf('Chiffré')]).toBe('Oui');
    expect(cells[headers.indexOf('Dernière vérification')]).toBe('jamais');
    expect(cells[headers.indexOf('Libre')]).toMatch(/ \/ /);
    const wrong = await post({
      name: 'page-vault-2',
      passphrase: 'wrong passphrase',
      passphrase_confirm: 'wrong passphrase',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Phrase secrète incorrecte');
    expect(t.logs()).not.toContain(PASSPHRASE);
    expect(t.logs()).not.toContain(key as string);
  });

  it('verify marks the restore point whose chunk was flipped corrupt, the others ok', async () => {
    const dir = await tempDir();
    const storage = await call('POST', '/api/storage-paths/', { name: 'verify-me', path: dir }, 201);
    await call('POST', `/api/storage-paths/${storage.id}/verify/`, undefined, 409); // no repository yet
    const { initRepository } = await import('../../src/repository/config.js');
    await initRepository(dir);
    const [a, b] = pieces(2) as [Buffer, Buffer];
    const good = await restorePoint(storage.id, dir, { 'disk-flat.vmdk': a });
    const bad = await restorePoint(storage.id, dir, { 'disk-flat.vmdk': b, 'vm.vmx': Buffer.from('config') });
    await flipLastByte(plainChunkFile(dir, b));
    const op = await call('POST', `/api/storage-paths/${storage.id}/verify/`, undefined, 202);
    expect((await waitJob(op.id)).status).toBe('COMPLETED');
    const goodJson = await call('GET', `/api/vm-backups/${good.id}/`, undefined, 200);
    const badRow = await t.deps.db.query.vm_backups.findFirst({ where: (v, { eq }) => eq(v.id, bad.id) });
    const goodRow = await t.deps.db.query.vm_backups.findFirst({ where: (v, { eq }) => eq(v.id, good.id) });
    expect(goodRow).toMatchObject({ verification_state: 'ok', corrupt_files: [] });
    expect(badRow).toMatchObject({ verification_state: 'corrupt', corrupt_files: ['disk-flat.vmdk'] });
    expect(badRow?.verified_at).toBeInstanceOf(Date);
    expect(goodJson.id).toBe(good.id);
    const after = await call('GET', `/api/storage-paths/${storage.id}/`, undefined, 200);
    expect(after.last_verified_at).toEqual(expect.any(String));
    expect(after.chunk_count).toBe(3); // a, b and the .vmx
    expect(after.corrupt_restore_points).toBe(1);
    expect(after.logical_bytes).toBe(a.length + b.length + 6);

    const metrics = await (await t.app.request('/api/metrics')).text();
    expect(metrics).toContain('esxi_repository_corrupt_restore_points{storage_path="verify-me"} 1');
    expect(metrics).toMatch(/esxi_repository_logical_bytes\{storage_path="verify-me"\} \d+/);
    expect(metrics).toMatch(/esxi_repository_physical_bytes\{storage_path="verify-me"\} [1-9]\d*/);
  });

  it('garbage collection removes an old orphan chunk and keeps the referenced ones', async () => {
    const dir = await tempDir();
    const storage = await call('POST', '/api/storage-paths/', { name: 'gc-me', path: dir }, 201);
    const { initRepository } = await import('../../src/repository/config.js');
    await initRepository(dir);
    const [kept] = pieces(1) as [Buffer];
    await restorePoint(storage.id, dir, { 'disk-flat.vmdk': kept });
    const keptFile = plainChunkFile(dir, kept);
    const orphanDigest = randomBytes(32).toString('hex');
    const orphan = chunkPath(dir, orphanDigest);
    await mkdir(path.dirname(orphan), { recursive: true });
    await writeFile(orphan, randomBytes(1000));
    const old = new Date(Date.now() - 3 * 3600_000);
    await age([orphan, keptFile], old);
    const op = await call('POST', `/api/storage-paths/${storage.id}/garbage_collect/`, undefined, 202);
    expect((await waitJob(op.id)).status).toBe('COMPLETED');
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(keptFile)).toBe(true);
    const after = await call('GET', `/api/storage-paths/${storage.id}/`, undefined, 200);
    expect(after.last_gc_at).toEqual(expect.any(String));
    expect(after.chunk_count).toBe(1);
    const { cookie } = await t.signIn('admin');
    const page = await (await t.app.request('/storage-paths/', { headers: { Cookie: cookie } })).text();
    expect(page).toContain(`garbage_collect-${storage.id}`);
    expect(page).toContain('Taille sur disque');
  });
});

function eqId(id: number) {
  return sqlEq(jobs.id, id);
}

import { eq as sqlEq } from 'drizzle-orm';
