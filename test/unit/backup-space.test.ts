/**
 * @module test/unit/backup-space: how much free space a backup asks for (src/backup/space.ts): the VM's whole
 * size without a restore point of it in the repository, else an estimate from the newest one, read from a
 * real repository in a temp dir.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToReserve, lastRestorePoint } from '../../src/backup/space.js';
import { initRepository } from '../../src/repository/config.js';
import { closeChunkPool } from '../../src/repository/pool.js';
import { cleanup, MiB, pieces, tempDir, writePoint } from '../repository/support.js';

const GiB = 1024 * MiB;
const CHUNK = 4 * MiB;

afterAll(async () => {
  await closeChunkPool();
  await cleanup();
});

describe('the space a backup asks for', () => {
  it('is the whole VM without a restore point, else twice the last one written plus growth, within bounds', () => {
    expect(bytesToReserve(500 * GiB, null, CHUNK)).toBe(500 * GiB);
    const last = { bytesWritten: 2 * GiB, logicalBytes: 500 * GiB, only: false };
    expect(bytesToReserve(500 * GiB, last, CHUNK)).toBe(4 * GiB);
    expect(bytesToReserve(510 * GiB, last, CHUNK)).toBe(14 * GiB);
    expect(bytesToReserve(500 * GiB, { ...last, bytesWritten: 0 }, CHUNK)).toBe(CHUNK);
    expect(bytesToReserve(500 * GiB, { ...last, bytesWritten: 300 * GiB }, CHUNK)).toBe(500 * GiB);
    // After the first full backup (all of it written, no change rate known yet): 20 % of the VM.
    expect(bytesToReserve(500 * GiB, { ...last, bytesWritten: 480 * GiB, only: true }, CHUNK)).toBe(
      100 * GiB,
    );
  });

  it('reads the newest restore point of the VM (by name and moref), none for another VM or a bad index', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, {});
    const vm = { name: 'vm1', moref: 'vm-1' };
    expect(await lastRestorePoint(repo, vm)).toBeNull();
    const [a, b] = pieces(2) as [Buffer, Buffer];
    const first = await writePoint(
      repo,
      { 'vm1-flat.vmdk': a },
      { jobId: 1, startedAt: new Date(Date.now() - 60_000) },
    );
    expect(await lastRestorePoint(repo, vm)).toEqual({
      bytesWritten: first.bytesWritten,
      logicalBytes: CHUNK,
      only: true,
    });
    const newest = await writePoint(repo, { 'vm1-flat.vmdk': a, 'vm1.vmx': b }, { jobId: 2 });
    expect(await lastRestorePoint(repo, vm)).toEqual({
      bytesWritten: newest.bytesWritten,
      logicalBytes: newest.logicalBytes,
      only: false,
    });
    expect(newest.logicalBytes).toBe(2 * CHUNK);
    expect(await lastRestorePoint(repo, { name: 'vm1', moref: 'vm-99' })).toBeNull();
    expect(await lastRestorePoint(repo, { name: 'vm2', moref: 'vm-1' })).toBeNull();
    await writeFile(newest.indexPath, 'truncated');
    expect(await lastRestorePoint(repo, vm)).toBeNull();
  });
});
