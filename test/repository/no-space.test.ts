/**
 * @module test/repository/no-space: a restore point that runs out of space while it is written (ENOSPC, on a
 * real 16 MiB tmpfs) fails with the file system's error and leaves no index and no temporary file; the
 * restore point written before it still reads back; the backup job names the full storage path. Needs the right to mount a tmpfs (root); skipped without.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageFull } from '../../src/backup/space.js';
import { messageOf } from '../../src/errors.js';
import { translator } from '../../src/i18n/translate.js';
import { initRepository } from '../../src/repository/config.js';
import { closeChunkPool } from '../../src/repository/pool.js';
import { listIndexes } from '../../src/repository/reader.js';
import { createRestorePointWriter } from '../../src/repository/writer.js';
import { cleanup, MiB, samePoint, slices, tempDir, writePoint } from './support.js';

const t = translator('fr');

describe('a restore point on a full file system', () => {
  let dir = '';
  let mounted = false;

  beforeAll(async () => {
    dir = await tempDir('ebm-repo-full-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'ignore' });
      mounted = true;
    } catch {
      mounted = false;
    }
  });
  afterAll(async () => {
    await closeChunkPool();
    if (mounted) execFileSync('umount', [dir]);
    await cleanup();
  });

  it('fails on ENOSPC with no index and no temporary file left; the earlier restore point still reads', async (ctx) => {
    if (!mounted) ctx.skip();
    const repo = await initRepository(dir, {});
    const earlier = { 'vm1.vmx': randomBytes(2 * MiB) };
    const first = await writePoint(repo, earlier, { jobId: 1 });

    const writer = createRestorePointWriter(repo, { vmName: 'vm1', jobId: 2, startedAt: new Date() });
    const failed = await writer.addFile('vm1-flat.vmdk', slices(randomBytes(32 * MiB))).catch((e) => e);
    expect(failed).toMatchObject({ code: 'ENOSPC' });
    // What the backup job fails with: a message of its own, in the reader's language.
    expect(t.message(messageOf(storageFull(failed, dir)))).toBe(
      `Le chemin de stockage ${dir} est plein : la sauvegarde s’est arrêtée sans créer de point de restauration (libérez de l’espace, par exemple avec un nettoyage GC après avoir réduit la rétention).`,
    );
    expect(await listIndexes(dir)).toEqual([first.indexPath]);
    expect(await readdir(path.join(dir, '.tmp'))).toEqual([]);
    expect(await samePoint(repo, first.indexPath, earlier)).toBe(true);
  });
});
