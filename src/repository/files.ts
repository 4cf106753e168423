/**
 * @module repository/files: durable writes for the repository: a temporary file in `P/.tmp/`, fsync'd, then
 * renamed (or linked, when it must not replace anything) into place and its directory fsync'd, so that a
 * crash leaves either the old state or the complete new file, never a partial one.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { TMP_DIR } from './format.js';

/** A fresh `P/.tmp/<random>.tmp` path. */
export const tmpPath = (dir: string): string =>
  path.join(dir, TMP_DIR, `${randomBytes(12).toString('hex')}.tmp`);

/** fsync of a directory (makes a rename or a new entry in it durable). */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `parts` to a new file `file` (exclusive create), fsync'd.
 * @returns bytes written. @throws fs errors (EEXIST, ENOENT when its directory is missing, ENOSPC...).
 */
export async function writeSynced(file: string, parts: readonly Buffer[]): Promise<number> {
  const handle = await open(file, 'wx');
  let bytes = 0;
  try {
    for (const part of parts) {
      let at = 0;
      while (at < part.length) {
        const { bytesWritten } = await handle.write(part, at, part.length - at);
        at += bytesWritten;
      }
      bytes += part.length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return bytes;
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** mkdir -p whose new entries are durable: the parent of every directory it created is fsync'd. */
export async function mkdirDurable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let created = dir; created.length >= first.length; created = path.dirname(created)) {
    await fsyncDir(path.dirname(created));
  }
}

/**
 * Durably puts `parts` at `dest` through a temporary file of repository `dir`: tmp written and fsync'd,
 * moved into place (its directory created durably when missing), directory fsync'd.
 * @param opts.exclusive never replace an existing `dest` (uses link + unlink; falls back to rename after an
 *   existence check on a file system without hard links).
 * @returns bytes written. @throws EEXIST when exclusive and `dest` exists; other fs errors. The temporary
 *   file is removed on failure.
 */
export async function putFile(
  dir: string,
  dest: string,
  parts: readonly Buffer[],
  opts: { exclusive?: boolean } = {},
): Promise<number> {
  const tmp = tmpPath(dir);
  let bytes: number;
  try {
    bytes = await writeSynced(tmp, parts).catch(async (err) => {
      if (errno(err) !== 'ENOENT') throw err;
      await mkdir(path.dirname(tmp), { recursive: true });
      return writeSynced(tmp, parts);
    });
    await moveInto(tmp, dest, opts.exclusive ?? false).catch(async (err) => {
      if (errno(err) !== 'ENOENT') throw err;
      await mkdirDurable(path.dirname(dest));
      await moveInto(tmp, dest, opts.exclusive ?? false);
    });
  } catch (err) {
    // A partial file (ENOSPC midway) must not stay: on a full disk its space is what is missing.
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fsyncDir(path.dirname(dest));
  return bytes;
}

async function moveInto(tmp: string, dest: string, exclusive: boolean): Promise<void> {
  if (!exclusive) return rename(tmp, dest);
  try {
    await link(tmp, dest);
  } catch (err) {
    const code = errno(err);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    const exists = await open(dest, 'r').then(
      (h) => h.close().then(() => true),
      () => false,
    );
    if (exists) throw Object.assign(new Error(`${dest} exists`), { code: 'EEXIST' });
    return rename(tmp, dest);
  }
  await unlink(tmp);
}
