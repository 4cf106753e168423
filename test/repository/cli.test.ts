/**
 * @module test/repository/cli: `npm run repository` as a real process (node_modules/.bin/tsx), stdin closed,
 * on repositories made with the core's writer: list, byte-identical extract, passphrase and key files, exit
 * codes (0 done, 1 failed, 2 bad usage, 4 corrupt) and one-line errors.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { initRepository } from '../../src/repository/config.js';
import { INDEXES_DIR } from '../../src/repository/format.js';
import { closeChunkPool } from '../../src/repository/pool.js';
import { CHUNK, cleanup, flipLastByte, MiB, pieces, plainChunkFile, tempDir, writePoint } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

afterAll(async () => {
  await closeChunkPool();
  await cleanup();
});

/** Runs `npm run repository -- <args>` as `tsx src/repository/cli.ts <args>`, without a terminal. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(TSX, ['src/repository/cli.ts', ...args], {
    cwd: ROOT,
    // tsx runs on the `node` first in PATH: the project's Node 24 (zstd in zlib), not the system's.
    env: {
      ...process.env,
      PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The restore point's name (`<vm>/<stamp>-job<id>`) from its index path. */
const nameOf = (dir: string, indexPath: string) =>
  path.relative(path.join(dir, INDEXES_DIR), indexPath).replace(/\.json$/, '');

async function plainRepository() {
  const dir = await tempDir();
  const repo = await initRepository(dir, {});
  const [p0, p1] = pieces(2) as [Buffer, Buffer];
  const files = {
    'vm1-flat.vmdk': Buffer.concat([p0, Buffer.alloc(CHUNK), p1.subarray(0, 3 * MiB + 17)]),
    'vm1.vmx': Buffer.from('displayName = "vm1"\n'),
  };
  const first = await writePoint(repo, files, { jobId: 11, startedAt: new Date('2025-03-01T22:00:00Z') });
  const second = await writePoint(repo, { 'vm2.vmx': Buffer.from('x') }, { vmName: 'vm2', jobId: 12 });
  return { dir, repo, files, first, second, p0, p1 };
}

describe('repository CLI', () => {
  it('lists the restore points and extracts one byte-identical, by its name or its relative path', async () => {
    const { dir, files, first, second } = await plainRepository();
    const listed = await cli('list', dir);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(nameOf(dir, first.indexPath));
    expect(listed.stdout).toContain(nameOf(dir, second.indexPath));
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);
    const json = JSON.parse((await cli('list', dir, '--json')).stdout) as {
      restore_points: Array<{ restore_point: string; vm: string; logical_bytes: number }>;
    };
    expect(json.restore_points).toContainEqual(
      expect.objectContaining({ restore_point: nameOf(dir, first.indexPath), vm: 'vm1' }),
    );

    const out = await tempDir('ebm-extract-');
    const stamp = path.basename(first.indexPath, '.json'); // <stamp>-job11
    const extracted = await cli('extract', dir, stamp, out);
    expect(extracted).toMatchObject({ code: 0 });
    expect((await readdir(out)).sort()).toEqual(['vm1-flat.vmdk', 'vm1.vmx']);
    for (const [name, data] of Object.entries(files)) {
      expect((await readFile(path.join(out, name))).equals(data)).toBe(true);
    }
    // Zero chunks are holes: the extent takes less room on disk than its size.
    const extent = await stat(path.join(out, 'vm1-flat.vmdk'));
    expect(extent.blocks * 512).toBeLessThan(extent.size);

    const again = await tempDir('ebm-extract-');
    expect((await cli('extract', dir, nameOf(dir, first.indexPath), again)).code).toBe(0);
    expect((await readFile(path.join(again, 'vm1.vmx'))).equals(files['vm1.vmx'])).toBe(true);
  });

  it('extracts from an encrypted repository with the passphrase or the master key, refuses a wrong one', async () => {
    const dir = await tempDir();
    const repo = await initRepository(dir, { passphrase: 'le bon mot de passe' });
    const disk = Buffer.concat(pieces(1).concat([Buffer.from('tail')]));
    const point = await writePoint(repo, { 'vm1-flat.vmdk': disk }, { jobId: 21 });
    const name = nameOf(dir, point.indexPath);
    const secrets = await tempDir('ebm-secrets-');
    const good = path.join(secrets, 'good');
    const bad = path.join(secrets, 'bad');
    const key = path.join(secrets, 'key');
    await writeFile(good, 'le bon mot de passe\n');
    await writeFile(bad, 'un autre\n');
    await writeFile(key, `${repo.keys?.master.toString('hex')}\n`);

    const refused = await cli('extract', dir, name, await tempDir('ebm-extract-'), '--passphrase-file', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^repository: .*passphrase/i);

    const noSecret = await cli('extract', dir, name, await tempDir('ebm-extract-'));
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr.trim().split('\n')).toHaveLength(1);

    for (const option of [
      ['--passphrase-file', good],
      ['--key-file', key],
    ]) {
      const out = await tempDir('ebm-extract-');
      const done = await cli('extract', dir, name, out, ...option);
      expect(done.code).toBe(0);
      expect((await readFile(path.join(out, 'vm1-flat.vmdk'))).equals(disk)).toBe(true);
    }
    expect((await cli('list', dir)).stdout).toContain(name);
  });

  it('exits 4 on a corrupt restore point, in one line naming the file, and leaves no file behind', async () => {
    const { dir, first, p1 } = await plainRepository();
    await flipLastByte(plainChunkFile(dir, p1.subarray(0, 3 * MiB + 17)));
    const out = await tempDir('ebm-extract-');
    const result = await cli('extract', dir, nameOf(dir, first.indexPath), out);
    expect(result.code).toBe(4);
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^repository: .*vm1-flat\.vmdk/);
    expect(lines.filter((line) => line.startsWith('repository:'))).toHaveLength(1);
    expect((await readdir(out)).filter((name) => name.startsWith('vm1-flat'))).toEqual([]);
  });

  it('exits 2 on bad usage and 1 for a restore point or repository that does not exist, in one line', async () => {
    const { dir } = await plainRepository();
    for (const args of [[], ['list'], ['frobnicate', dir], ['extract', dir, 'x'], ['list', dir, '--bogus']]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^repository: .*usage: npm run repository/);
    }
    const missing = await cli('extract', dir, '20990101T000000Z-job999', await tempDir('ebm-extract-'));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const notRepository = await cli('list', await tempDir('ebm-empty-'));
    expect(notRepository.code).toBe(1);
    expect(notRepository.stderr.trim().split('\n')).toHaveLength(1);
  });
});
