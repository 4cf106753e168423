import { createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listChunks } from '../../src/repository/chunk-store.js';
import { initRepository, type Repository } from '../../src/repository/config.js';
import { isRepositoryError, RepositoryError } from '../../src/repository/errors.js';
import { closeChunkPool } from '../../src/repository/pool.js';
import { listIndexes, readFileChunks, readIndex } from '../../src/repository/reader.js';
import { createRestorePointWriter } from '../../src/repository/writer.js';
import { META } from './support.js';

const MiB = 1024 * 1024;
let work: string;
let sources: string;
const inputs: Record<string, Buffer> = {};

const meta = { ...META, vm: { ...META.vm, name: 'web-01' } };

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ebm-repo-core-'));
  sources = path.join(work, 'sources');
  await import('node:fs/promises').then((fs) => fs.mkdir(sources));
  const disk = randomBytes(64 * MiB);
  const sparse = Buffer.alloc(13 * MiB + 123);
  sparse.write('not all zeros', 5 * MiB);
  inputs['web-01-flat.vmdk'] = disk;
  inputs['data-flat.vmdk'] = sparse;
  inputs['web-01.vmx'] = Buffer.from('displayName = "web-01"\nmemSize = "2048"\n'.repeat(3000));
  inputs['empty.nvram'] = Buffer.alloc(0);
  for (const [name, data] of Object.entries(inputs)) await writeFile(path.join(sources, name), data);
});

afterAll(async () => {
  await closeChunkPool();
  await rm(work, { recursive: true, force: true });
});

const totalSize = () => Object.values(inputs).reduce((sum, b) => sum + b.length, 0);

/** One restore point of every input file, each read from disk in 64 KiB pieces. */
async function backup(repo: Repository, jobId: number) {
  const writer = createRestorePointWriter(repo, { vmName: 'web-01', jobId, startedAt: new Date() });
  for (const name of Object.keys(inputs)) {
    const source = createReadStream(path.join(sources, name), { highWaterMark: 64 * 1024 });
    await writer.addFile(name, source);
  }
  return writer.commit(meta);
}

async function readBack(repo: Repository, indexPath: string): Promise<Record<string, Buffer>> {
  const index = await readIndex(repo, indexPath);
  const out: Record<string, Buffer> = {};
  for (const file of index.files) {
    const parts: Buffer[] = [];
    for await (const chunk of readFileChunks(repo, file)) parts.push(chunk);
    out[file.name] = Buffer.concat(parts);
  }
  return out;
}

async function newRepo(name: string, passphrase?: string) {
  return initRepository(path.join(work, name), passphrase === undefined ? {} : { passphrase });
}

describe('repository writer and reader', () => {
  it('writes a restore point that reads back byte-identical, then a second one that writes ~0 bytes', async () => {
    const repo = await newRepo('plain');
    const first = await backup(repo, 1);
    expect(first.logicalBytes).toBe(totalSize());
    const index = await readIndex(repo, first.indexPath);
    expect(index).toMatchObject({ format: 'ebm-index', version: 1, repository: repo.config.id, job_id: 1 });
    expect(index.bytes_written).toBe(first.bytesWritten);
    const sparse = index.files.find((f) => f.name === 'data-flat.vmdk');
    expect(sparse?.chunks.filter((c) => c === null)).toHaveLength(3);
    expect(index.files.find((f) => f.name === 'empty.nvram')?.chunks).toEqual([]);
    const disk = index.files.find((f) => f.name === 'web-01-flat.vmdk');
    expect(disk?.sha256).toBe(
      createHash('sha256')
        .update(inputs['web-01-flat.vmdk'] as Buffer)
        .digest('hex'),
    );
    const back = await readBack(repo, first.indexPath);
    for (const [name, data] of Object.entries(inputs)) expect(back[name]?.equals(data), name).toBe(true);

    const old = new Date(Date.now() - 86_400_000);
    for await (const chunk of listChunks(repo.dir)) await utimes(chunk.path, old, old);
    const before = Date.now() - 1000;
    const second = await backup(repo, 2);
    expect(second.bytesWritten).toBeLessThan(totalSize() / 100);
    for await (const chunk of listChunks(repo.dir)) expect(chunk.mtimeMs).toBeGreaterThan(before);
    expect(await listIndexes(repo.dir)).toEqual([first.indexPath, second.indexPath].sort());
    const again = await readBack(repo, second.indexPath);
    for (const [name, data] of Object.entries(inputs)) expect(again[name]?.equals(data), name).toBe(true);
  });

  it('stores compressible files well below their size and shows nothing before commit', async () => {
    const repo = await newRepo('compressible');
    const writer = createRestorePointWriter(repo, { vmName: 'web-01', jobId: 3, startedAt: new Date() });
    await writer.addFile('web-01.vmx', createReadStream(path.join(sources, 'web-01.vmx')));
    await writer.addFile('data-flat.vmdk', createReadStream(path.join(sources, 'data-flat.vmdk')));
    expect(await listIndexes(repo.dir)).toEqual([]);
    const done = await writer.commit(meta);
    let physical = 0;
    for await (const chunk of listChunks(repo.dir)) physical += chunk.size;
    expect(physical).toBe(done.bytesWritten);
    expect(physical).toBeLessThan(done.logicalBytes / 50);
    expect(await listIndexes(repo.dir)).toEqual([done.indexPath]);
  });

  it('encrypts: no chunk file holds a 64-byte pattern of the input, and it reads back', async () => {
    const repo = await newRepo('encrypted', 'correct horse battery staple');
    const done = await backup(repo, 4);
    const patterns = Object.values(inputs)
      .filter((b) => b.length >= 4 * MiB)
      .flatMap((b) => [0, 1, 2, 3].map((i) => b.subarray(i * MiB + 4096, i * MiB + 4160)));
    patterns.push((inputs['web-01.vmx'] as Buffer).subarray(100, 164));
    let files = 0;
    for await (const chunk of listChunks(repo.dir)) {
      const blob = await readFile(chunk.path);
      for (const pattern of patterns) expect(blob.includes(pattern)).toBe(false);
      files++;
    }
    expect(files).toBeGreaterThan(16);
    const index = JSON.parse(await readFile(done.indexPath, 'utf8'));
    expect(index.encrypted).toBe(true);
    const back = await readBack(repo, done.indexPath);
    for (const [name, data] of Object.entries(inputs)) expect(back[name]?.equals(data), name).toBe(true);
  });

  it('refuses a flipped byte in a chunk file, naming the file', async () => {
    const repo = await newRepo('corrupt');
    const done = await backup(repo, 5);
    const index = await readIndex(repo, done.indexPath);
    const disk = index.files.find((f) => f.name === 'web-01-flat.vmdk');
    const digest = disk?.chunks[7] as string;
    const file = path.join(repo.dir, '.chunks', digest.slice(0, 4), digest);
    const blob = await readFile(file);
    blob[blob.length >> 1] = (blob[blob.length >> 1] as number) ^ 0x40;
    await writeFile(file, blob);
    const err = await readBack(repo, done.indexPath).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RepositoryError);
    expect((err as RepositoryError).code).toBe('chunk_corrupt');
    expect((err as RepositoryError).detail.params).toMatchObject({ digest, file: 'web-01-flat.vmdk' });
  });

  it('refuses a file whose whole digest differs, and an index that does not parse', async () => {
    const repo = await newRepo('digest');
    const done = await backup(repo, 6);
    const raw = JSON.parse(await readFile(done.indexPath, 'utf8'));
    raw.files[0].sha256 = '0'.repeat(64);
    await writeFile(done.indexPath, JSON.stringify(raw));
    const err = await readBack(repo, done.indexPath).catch((e: unknown) => e);
    expect((err as RepositoryError).code).toBe('file_corrupt');
    expect((err as RepositoryError).detail.params).toEqual({ file: raw.files[0].name });
    await writeFile(done.indexPath, '{"format":"ebm-index"');
    expect(((await readIndex(repo, done.indexPath).catch((e) => e)) as RepositoryError).code).toBe(
      'index_corrupt',
    );
    expect(await readdir(path.join(repo.dir, '.tmp'))).toEqual([]);
    expect((await stat(path.join(repo.dir, 'repository.json'))).isFile()).toBe(true);
  });

  it('stops cleanly on abort, leaving no restore point, and refuses a missing chunk', async () => {
    const repo = await newRepo('abort');
    const writer = createRestorePointWriter(repo, { vmName: 'web-01', jobId: 7, startedAt: new Date() });
    const controller = new AbortController();
    const source = createReadStream(path.join(sources, 'web-01-flat.vmdk'), { highWaterMark: 64 * 1024 });
    const err = await writer
      .addFile(
        'web-01-flat.vmdk',
        source,
        (n) => n > 20 * MiB && controller.abort(new Error('stop')),
        controller.signal,
      )
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('stop');
    expect(await listIndexes(repo.dir)).toEqual([]);

    const done = await backup(repo, 8);
    const index = await readIndex(repo, done.indexPath);
    const disk = index.files.find((f) => f.name === 'web-01-flat.vmdk');
    let first = true;
    for await (const chunk of readFileChunks(repo, disk as never)) {
      expect(chunk.length).toBe(4 * MiB);
      if (!first) break;
      first = false;
    }
    const digest = disk?.chunks[3] as string;
    await rm(path.join(repo.dir, '.chunks', digest.slice(0, 4), digest));
    const missing = await readBack(repo, done.indexPath).catch((e: unknown) => e);
    expect(isRepositoryError(missing, 'chunk_corrupt')).toBe(true);
    expect((missing as RepositoryError).detail.params).toMatchObject({ digest, file: 'web-01-flat.vmdk' });
  });

  it('can be read with the README text alone (independent decoder)', async () => {
    const repo = await newRepo('readme', 'passphrase for the README');
    const done = await backup(repo, 9);
    const config = JSON.parse(await readFile(path.join(repo.dir, 'repository.json'), 'utf8'));
    const { kdf } = config.encryption;
    const master = scryptSync('passphrase for the README', Buffer.from(kdf.salt, 'base64'), kdf.key_length, {
      N: kdf.N,
      r: kdf.r,
      p: kdf.p,
      maxmem: 256 * 1024 * 1024,
    });
    const hkdf = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.from(config.id), info, 32));
    const encKey = hkdf('ebm chunk encryption');
    const idKey = hkdf('ebm chunk id');
    expect(createHmac('sha256', idKey).update('ebm-repository key check').digest('hex')).toBe(
      config.encryption.key_check,
    );
    const index = JSON.parse(await readFile(done.indexPath, 'utf8'));
    for (const file of index.files) {
      const parts: Buffer[] = [];
      for (const [i, digest] of (file.chunks as Array<string | null>).entries()) {
        if (digest === null) {
          parts.push(Buffer.alloc(Math.min(index.chunk_size, file.size - i * index.chunk_size)));
          continue;
        }
        const blob = await readFile(path.join(repo.dir, '.chunks', digest.slice(0, 4), digest));
        expect(blob.subarray(0, 4).toString('latin1')).toBe('EBMC');
        const flags = blob[5] as number;
        expect(flags & 2).toBe(2);
        const decipher = createDecipheriv('aes-256-gcm', encKey, blob.subarray(12, 24));
        decipher.setAAD(Buffer.from(digest, 'latin1'));
        decipher.setAuthTag(blob.subarray(24, 40));
        let plain = Buffer.concat([decipher.update(blob.subarray(40)), decipher.final()]);
        if (flags & 1) plain = zlib.zstdDecompressSync(plain);
        expect(plain.length).toBe(blob.readUInt32LE(8));
        expect(createHmac('sha256', idKey).update(plain).digest('hex')).toBe(digest);
        parts.push(plain);
      }
      const whole = Buffer.concat(parts);
      expect(createHmac('sha256', idKey).update(whole).digest('hex')).toBe(file.sha256);
      expect(whole.equals(inputs[file.name] as Buffer)).toBe(true);
    }
  });
});
