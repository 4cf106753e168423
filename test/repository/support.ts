/** @module test/repository/support: temporary repositories filled with the core's writer, and ways to damage them. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Repository } from '../../src/repository/config.js';
import { chunkPath } from '../../src/repository/format.js';
import { readFileChunks, readIndex } from '../../src/repository/reader.js';
import { createRestorePointWriter } from '../../src/repository/writer.js';

export const MiB = 1024 * 1024;
export const CHUNK = 4 * MiB;

/** A fresh directory under the system's temp dir; `cleanup()` removes every one made. */
const made: string[] = [];
export async function tempDir(prefix = 'ebm-repo-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export async function cleanup(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** `count` random chunk-size pieces (incompressible, so each is one distinct chunk). */
export const pieces = (count: number): Buffer[] => Array.from({ length: count }, () => randomBytes(CHUNK));

/** A stream of `data` in 1 MiB slices (the writer re-slices into chunks). */
export async function* slices(data: Buffer): AsyncIterable<Buffer> {
  for (let off = 0; off < data.length; off += MiB) yield data.subarray(off, off + MiB);
}

export const META = {
  vm: {
    name: 'vm1',
    moref: 'vm-1',
    guest_id: 'otherGuest64',
    guest_os: 'Other (64-bit)',
    num_cpu: 1,
    memory_mb: 512,
    vmx_path: '[ds1] vm1/vm1.vmx',
    disks: [{ label: 'Hard disk 1', capacity_bytes: 16 * MiB, file_name: '[ds1] vm1/vm1-flat.vmdk' }],
  },
  source_host: { name: 'esx1', hostname: 'esx1.lab', version: '8.0.2' },
  snapshot: { name: 'ebm-backup', moref: 'snapshot-1', quiesced: false },
};

/** Backs up `files` as one restore point of `vmName` and commits it. */
export async function writePoint(
  repo: Repository,
  files: Record<string, Buffer>,
  opts: { vmName?: string; jobId: number; startedAt?: Date },
) {
  const vmName = opts.vmName ?? 'vm1';
  const writer = await createRestorePointWriter(repo, {
    vmName,
    jobId: opts.jobId,
    startedAt: opts.startedAt ?? new Date(),
  });
  for (const [name, data] of Object.entries(files)) await writer.addFile(name, slices(data));
  return writer.commit({ ...META, vm: { ...META.vm, name: vmName } });
}

/** Writes the chunks of `files` the way a backup killed before its commit leaves them: no index. */
export async function writeOrphans(repo: Repository, files: Record<string, Buffer>, jobId: number) {
  const writer = await createRestorePointWriter(repo, { vmName: 'killed', jobId, startedAt: new Date() });
  for (const [name, data] of Object.entries(files)) await writer.addFile(name, slices(data));
}

/** The plain repository's chunk file of a piece (SHA-256 digest). */
export const plainChunkFile = (dir: string, piece: Buffer) =>
  chunkPath(dir, createHash('sha256').update(piece).digest('hex'));

/** Flips the last byte of a file (inside a chunk blob: always payload, past the header). */
export async function flipLastByte(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const { size } = await handle.stat();
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, size - 1);
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    await handle.write(byte, 0, 1, size - 1);
  } finally {
    await handle.close();
  }
}

/** Every chunk file of a repository (walking `.chunks/` directly, not through the core). */
export async function chunkFiles(dir: string): Promise<string[]> {
  const root = path.join(dir, '.chunks');
  const out: string[] = [];
  for (const prefix of await readdir(root).catch(() => [] as string[])) {
    for (const name of await readdir(path.join(root, prefix))) out.push(path.join(root, prefix, name));
  }
  return out.sort();
}

/** Sets the mtime (and atime) of files to `when`. */
export async function age(files: string[], when: Date): Promise<void> {
  await Promise.all(files.map((file) => utimes(file, when, when)));
}

/** The files of a restore point read back through the reader (every digest checked). */
export async function readPoint(repo: Repository, indexPath: string): Promise<Record<string, Buffer>> {
  const index = await readIndex(repo, indexPath);
  const out: Record<string, Buffer> = {};
  for (const file of index.files) {
    const parts: Buffer[] = [];
    for await (const part of readFileChunks(repo, file)) parts.push(Buffer.from(part));
    out[file.name] = Buffer.concat(parts);
  }
  return out;
}

/** Whether a restore point reads back exactly as `files` (Buffer.equals: a deep toEqual on MiBs is slow). */
export async function samePoint(
  repo: Repository,
  indexPath: string,
  files: Record<string, Buffer>,
): Promise<boolean> {
  const back = await readPoint(repo, indexPath);
  const names = Object.keys(files);
  return (
    Object.keys(back).length === names.length &&
    names.every((name) => back[name]?.equals(files[name] as Buffer) === true)
  );
}
