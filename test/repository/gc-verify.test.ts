/**
 * @module test/repository/gc-verify: garbage collection and verify on real repositories in a temp dir, filled
 * with the core's writer: GC sweeps only old orphan chunks, and nothing when an index or `.indexes/` cannot be
 * read; verify marks exactly the restore points a bad chunk hits, naming their files.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initRepository, type Repository } from '../../src/repository/config.js';
import { chunkPath } from '../../src/repository/format.js';
import { collectGarbage, type GcProgress } from '../../src/repository/gc.js';
import { closeChunkPool } from '../../src/repository/pool.js';
import { listIndexes } from '../../src/repository/reader.js';
import { type VerifyProgress, verifyRepository } from '../../src/repository/verify.js';
import {
  age,
  CHUNK,
  chunkFiles,
  cleanup,
  flipLastByte,
  MiB,
  pieces,
  plainChunkFile,
  readPoint,
  samePoint,
  tempDir,
  writeOrphans,
  writePoint,
} from './support.js';

afterAll(async () => {
  await closeChunkPool();
  await cleanup();
});

const HOURS_AGO = () => new Date(Date.now() - 2 * 3600_000);

/** Two restore points of vm1 sharing their first chunk; A also holds a zero chunk and a short tail. */
async function twoPoints(repo: Repository) {
  const [p0, p1, p2, p3] = pieces(4) as [Buffer, Buffer, Buffer, Buffer];
  const a = {
    'vm1-flat.vmdk': Buffer.concat([p0, p1, Buffer.alloc(CHUNK), p2.subarray(0, MiB)]),
    'vm1.vmx': Buffer.from('displayName = "vm1"\nmemSize = "512"\n'),
  };
  const b = {
    'vm1-flat.vmdk': Buffer.concat([p0, p3]),
    'vm1.vmx': Buffer.from('displayName = "vm1"\nmemSize = "1024"\n'),
  };
  const pointA = await writePoint(repo, a, { jobId: 1, startedAt: new Date(Date.now() - 60_000) });
  const pointB = await writePoint(repo, b, { jobId: 2 });
  return { a, b, pointA, pointB, p0, p1, p3 };
}

describe('garbage collection', () => {
  it('removes orphan chunks older than the cutoff, keeps every indexed chunk and every chunk touched after it', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const { a, b, pointA, pointB } = await twoPoints(repo);
    const [orphan, reused, fresh] = pieces(3) as [Buffer, Buffer, Buffer];
    await writeOrphans(repo, { 'killed-flat.vmdk': Buffer.concat([orphan, reused]) }, 3);
    await age(await chunkFiles(dir), HOURS_AGO());
    await writeFile(path.join(dir, '.tmp', 'old.tmp'), 'left by a killed writer');
    await age([path.join(dir, '.tmp', 'old.tmp')], HOURS_AGO());
    await writeFile(path.join(dir, '.tmp', 'new.tmp'), 'being written');
    // A backup running now writes `fresh` and reuses `reused` (touching it): neither may be swept.
    await writeOrphans(repo, { 'running-flat.vmdk': Buffer.concat([reused, fresh]) }, 4);

    const before = await chunkFiles(dir);
    const orphanFile = plainChunkFile(dir, orphan);
    const orphanSize = (await stat(orphanFile)).size;
    const started = Date.now();
    const progress: GcProgress[] = [];
    const result = await collectGarbage(repo, {
      cutoff: new Date(started - 5 * 60_000),
      onProgress: (p) => progress.push(p),
    });

    expect(result).toEqual({
      chunksRemoved: 1,
      bytesRemoved: orphanSize,
      chunksKept: before.length - 1,
      indexes: 2,
      chunksMissing: 0,
      tmpFilesRemoved: 1,
    });
    expect(await chunkFiles(dir)).toEqual(before.filter((file) => file !== orphanFile));
    expect(before).toContain(plainChunkFile(dir, reused));
    expect(before).toContain(plainChunkFile(dir, fresh));
    for (const file of before.filter((f) => f !== orphanFile)) {
      expect((await stat(file)).mtimeMs).toBeGreaterThan(started - 5 * 60_000);
    }
    await expect(stat(path.join(dir, '.tmp', 'old.tmp'))).rejects.toThrow(/ENOENT/);
    await expect(stat(path.join(dir, '.tmp', 'new.tmp'))).resolves.toBeTruthy();
    expect(progress[0]).toEqual({ phase: 'mark', done: 0, total: 2 });
    expect(progress).toContainEqual({ phase: 'mark', done: 2, total: 2 });
    expect(progress.at(-1)).toEqual({ phase: 'sweep', done: before.length });

    expect(await samePoint(repo, pointA.indexPath, a)).toBe(true);
    expect(await samePoint(repo, pointB.indexPath, b)).toBe(true);
  });

  it('never sweeps a chunk it marked, even with a cutoff in the future', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const { a, b, pointA, pointB } = await twoPoints(repo);
    const [orphan] = pieces(1) as [Buffer];
    await writeOrphans(repo, { 'killed-flat.vmdk': orphan }, 3);
    await age(await chunkFiles(dir), HOURS_AGO());
    const result = await collectGarbage(repo, { cutoff: new Date(Date.now() + 3600_000) });
    expect(result.chunksRemoved).toBe(1);
    expect(await samePoint(repo, pointA.indexPath, a)).toBe(true);
    expect(await samePoint(repo, pointB.indexPath, b)).toBe(true);
  });

  const unreadable: Array<[string, string, (dir: string, indexPath: string) => Promise<void>]> = [
    [
      'an index cannot be read',
      'index_corrupt',
      (_, index) => writeFile(index, '{"format": "ebm-index", trunc'),
    ],
    [
      '.indexes cannot be listed (it must not look empty)',
      'ENOTDIR',
      async (dir) => {
        // Any listing error but ENOENT; a file in its place gives ENOTDIR (EACCES would not stop root).
        await rename(path.join(dir, '.indexes'), path.join(dir, 'indexes.moved'));
        await writeFile(path.join(dir, '.indexes'), '');
        await expect(listIndexes(dir)).rejects.toMatchObject({ code: 'ENOTDIR' });
      },
    ],
  ];
  it.each(unreadable)('removes nothing when %s: its chunks would be lost', async (_, code, damage) => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const { pointB } = await twoPoints(repo);
    await age(await chunkFiles(dir), HOURS_AGO());
    const before = await chunkFiles(dir);
    await damage(dir, pointB.indexPath);
    await expect(collectGarbage(repo, { cutoff: new Date(Date.now() - 5 * 60_000) })).rejects.toMatchObject({
      code,
    });
    expect(await chunkFiles(dir)).toEqual(before);
  });

  it('sweeps the chunks of a pruned restore point and counts a chunk an index names but the store lacks', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const { pointA, pointB, p1, p3 } = await twoPoints(repo);
    await age(await chunkFiles(dir), HOURS_AGO());
    await unlink(pointB.indexPath); // pruned
    await unlink(plainChunkFile(dir, p1)); // lost
    const result = await collectGarbage(repo, { cutoff: new Date(Date.now() - 5 * 60_000) });
    expect(result).toMatchObject({ indexes: 1, chunksMissing: 1, chunksRemoved: 2 }); // p3 and B's .vmx
    await expect(stat(plainChunkFile(dir, p3))).rejects.toThrow(/ENOENT/);
    await expect(readPoint(repo, pointA.indexPath)).rejects.toBeTruthy();
  });
});

describe('verify', () => {
  it('marks every restore point ok on an intact repository, reading each distinct chunk once', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const { pointA, pointB } = await twoPoints(repo);
    const progress: VerifyProgress[] = [];
    const results = await verifyRepository(repo, [pointA.indexPath, pointB.indexPath], (p) =>
      progress.push(p),
    );
    expect(results).toEqual([
      { indexPath: pointA.indexPath, state: 'ok', corruptFiles: [] },
      { indexPath: pointB.indexPath, state: 'ok', corruptFiles: [] },
    ]);
    // p0 (shared), p1, A's tail, A's .vmx, p3, B's .vmx: six distinct chunks; the zero chunk is not read.
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6 });
    expect(progress).toHaveLength(7);
  });

  it('marks exactly the restore points using a flipped chunk corrupt, naming the file', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const { pointA, pointB, p0, p1 } = await twoPoints(repo);
    await flipLastByte(plainChunkFile(dir, p1));
    expect(await verifyRepository(repo, [pointA.indexPath, pointB.indexPath])).toEqual([
      { indexPath: pointA.indexPath, state: 'corrupt', corruptFiles: ['vm1-flat.vmdk'] },
      { indexPath: pointB.indexPath, state: 'ok', corruptFiles: [] },
    ]);
    await flipLastByte(plainChunkFile(dir, p0));
    const both = await verifyRepository(repo, [pointA.indexPath, pointB.indexPath]);
    expect(both.map((r) => [r.state, r.corruptFiles])).toEqual([
      ['corrupt', ['vm1-flat.vmdk']],
      ['corrupt', ['vm1-flat.vmdk']],
    ]);
  });

  it('marks a restore point corrupt for a missing chunk or an unreadable index', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const { pointA, pointB, p3 } = await twoPoints(repo);
    await unlink(plainChunkFile(dir, p3));
    expect((await verifyRepository(repo, [pointA.indexPath, pointB.indexPath])).map((r) => r.state)).toEqual([
      'ok',
      'corrupt',
    ]);
    await writeFile(pointA.indexPath, 'not json');
    const [resultA] = await verifyRepository(repo, [pointA.indexPath]);
    expect(resultA).toEqual({
      indexPath: pointA.indexPath,
      state: 'corrupt',
      corruptFiles: [path.basename(pointA.indexPath)],
    });
  });

  it('finds a flipped chunk in an encrypted repository (the tag does not match)', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, { passphrase: 'correct horse battery staple' });
    const vmx = randomBytes(1000);
    const point = await writePoint(repo, { 'vm1.vmx': vmx }, { jobId: 7 });
    const index = JSON.parse(await readFile(point.indexPath, 'utf8')) as {
      files: Array<{ chunks: string[] }>;
    };
    const digest = index.files[0]?.chunks[0] ?? '';
    expect(await verifyRepository(repo, [point.indexPath])).toMatchObject([{ state: 'ok' }]);
    await flipLastByte(chunkPath(dir, digest));
    expect(await verifyRepository(repo, [point.indexPath])).toMatchObject([
      { state: 'corrupt', corruptFiles: ['vm1.vmx'] },
    ]);
  });
});
