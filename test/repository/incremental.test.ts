/** A file built incrementally (addPieces): read back byte-identical, its chunk list digest checked. */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkListDigest } from '../../src/repository/blob.js';
import { initRepository, openRepository } from '../../src/repository/config.js';
import { isRepositoryError } from '../../src/repository/errors.js';
import { closeChunkPool } from '../../src/repository/pool.js';
import { readFileChunks, readIndex } from '../../src/repository/reader.js';
import { createRestorePointWriter, type Piece } from '../../src/repository/writer.js';
import { CHUNK, cleanup, META, MiB, tempDir, writePoint } from './support.js';

afterAll(async () => {
  await closeChunkPool();
  await cleanup();
});

const readAll = async (repo: Awaited<ReturnType<typeof openRepository>>, indexPath: string) => {
  const [file] = (await readIndex(repo, indexPath)).files;
  if (!file) throw new Error('no file');
  const parts: Buffer[] = [];
  for await (const part of readFileChunks(repo, file)) parts.push(part);
  return { file, data: Buffer.concat(parts) };
};

describe.each([false, true])('a file built from an earlier restore point (encrypted: %s)', (encrypted) => {
  it('keeps the unchanged chunks by digest, stores the read ones, and reads back byte-identical', async () => {
    const dir = await tempDir();
    const repo = encrypted
      ? await initRepository(dir, { passphrase: 'correct horse battery' })
      : await initRepository(dir, {});
    const before = Buffer.concat([randomBytes(3 * CHUNK), Buffer.alloc(CHUNK), randomBytes(MiB + 17)]);
    const first = await writePoint(repo, { 'disk-flat.vmdk': before }, { jobId: 1 });
    const [previous] = (await readIndex(repo, first.indexPath)).files;
    if (!previous) throw new Error('no file');
    const { chunks } = previous;

    const after = Buffer.from(before);
    randomBytes(CHUNK).copy(after, CHUNK); // piece 1 changed
    randomBytes(100).copy(after, 4 * CHUNK + 5); // the short last piece changed
    const changed = new Set([1, 4]);
    async function* pieces(): AsyncIterable<Piece> {
      for (let i = 0; i < chunks.length; i++) {
        if (changed.has(i)) yield { data: after.subarray(i * CHUNK, (i + 1) * CHUNK) };
        else yield { digest: chunks[i] ?? null };
      }
    }
    const writer = createRestorePointWriter(repo, { vmName: 'vm1', jobId: 2, startedAt: new Date() });
    const entry = await writer.addPieces('disk-flat.vmdk', after.length, pieces());
    const second = await writer.commit(META);
    expect(entry.sha256).toBeNull();
    expect(entry.chunks_sha256).toBe(chunkListDigest(entry.chunks, repo.keys));
    expect(entry.chunks[0]).toBe(previous.chunks[0]);
    expect(entry.chunks[3]).toBeNull();
    expect(entry.chunks[1]).not.toBe(previous.chunks[1]);
    expect(second.bytesWritten).toBeGreaterThan(0);

    const reopened = await openRepository(dir, encrypted ? { passphrase: 'correct horse battery' } : {});
    expect((await readAll(reopened, second.indexPath)).data.equals(after)).toBe(true);
    expect((await readAll(reopened, first.indexPath)).data.equals(before)).toBe(true);
  });
});

describe('a file built incrementally whose index was altered', () => {
  it('is refused as corrupt when its chunk list no longer matches chunks_sha256', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const data = randomBytes(2 * CHUNK);
    const first = await writePoint(
      repo,
      { 'disk-flat.vmdk': data, 'other-flat.vmdk': randomBytes(CHUNK) },
      { jobId: 1 },
    );
    const [disk, other] = (await readIndex(repo, first.indexPath)).files;
    const writer = createRestorePointWriter(repo, { vmName: 'vm1', jobId: 2, startedAt: new Date() });
    async function* same(): AsyncIterable<Piece> {
      for (const digest of disk?.chunks ?? []) yield { digest };
    }
    const second = await writer
      .addPieces('disk-flat.vmdk', data.length, same())
      .then(() => writer.commit(META));
    const raw = JSON.parse(await readFile(second.indexPath, 'utf8'));
    raw.files[0].chunks[1] = other?.chunks[0]; // an existing, valid chunk in the wrong place
    await writeFile(second.indexPath, JSON.stringify(raw));
    const err = await readAll(repo, second.indexPath).catch((e: unknown) => e);
    expect(isRepositoryError(err, 'file_corrupt')).toBe(true);
  });

  it('refuses pieces of the wrong length', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const writer = createRestorePointWriter(repo, { vmName: 'vm1', jobId: 3, startedAt: new Date() });
    async function* short(): AsyncIterable<Piece> {
      yield { data: randomBytes(CHUNK - 1) };
    }
    await expect(writer.addPieces('d-flat.vmdk', 2 * CHUNK, short())).rejects.toThrow(/piece 0/);
  });
});
