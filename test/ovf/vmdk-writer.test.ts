import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeStreamVmdk } from '../../src/ovf/vmdk-writer.js';
import type { FilledSlot } from '../../src/repository/file-writer.js';
import { takeSlot } from '../../src/repository/pool.js';

const MiB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function* piecesOf(disk: Buffer, size: number): AsyncGenerator<FilledSlot> {
  for (let at = 0; at < disk.length; at += size) {
    const length = Math.min(size, disk.length - at);
    const slot = takeSlot(size);
    disk.copy(Buffer.from(slot), 0, at, at + length);
    yield { slot, length };
  }
}

describe('streamOptimized VMDK writer', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ebm-vmdk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a disk that qemu-img checks and converts back to the same bytes, zero grains left out', async () => {
    const disk = Buffer.alloc(40 * MiB + 3 * 512);
    randomBytes(5 * MiB).copy(disk, 0);
    Buffer.alloc(MiB, 'abc').copy(disk, 20 * MiB);
    randomBytes(512).copy(disk, disk.length - 512);
    const file = path.join(dir, 'disk1.vmdk');
    const written = await writeStreamVmdk({
      path: file,
      fileName: 'disk1.vmdk',
      sizeBytes: disk.length,
      pieces: piecesOf(disk, 4 * MiB),
      level: 6,
      signal: new AbortController().signal,
    });
    const bytes = readFileSync(file);
    expect(written.size).toBe(bytes.length);
    expect(written.sha256).toBe(sha256(bytes));
    expect(bytes.length).toBeLessThan(8 * MiB);
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' }));
    expect(info['format-specific']?.data?.['create-type']).toBe('streamOptimized');
    execFileSync('qemu-img', ['check', file]);
    const raw = path.join(dir, 'disk1.raw');
    execFileSync('qemu-img', ['convert', '-O', 'raw', file, raw]);
    expect(sha256(readFileSync(raw))).toBe(sha256(disk));
  });
});
