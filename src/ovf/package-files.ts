/**
 * @module ovf/package-files: the manifest (`<name>.mf`, one `SHA256(<file>)= <hex>` line per file, as
 * ovftool writes it) and the `.ova`: a POSIX ustar archive of the package, the `.ovf` first, then the `.mf`,
 * then the disks in References order (OVF 1.0 section 5.3), each member copied from its file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { OvfPackageFile } from '../db/schema.js';

/** The `.mf` text for `files` (LF line ends). */
export function manifestText(files: OvfPackageFile[]): string {
  return files.map((f) => `SHA256(${f.name})= ${f.sha256}\n`).join('');
}

/** A ustar header block (512 bytes) for a regular file. @throws Error for a name over 100 bytes. */
export function ustarHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  const b = Buffer.alloc(512);
  if (Buffer.byteLength(name) > 100) throw new Error(`file name too long for the archive: ${name}`);
  const octal = (v: number, width: number) => `${v.toString(8).padStart(width - 1, '0')}\0`;
  b.write(name, 0, 100, 'utf8');
  b.write(octal(0o644, 8), 100, 'latin1');
  b.write(octal(0, 8), 108, 'latin1');
  b.write(octal(0, 8), 116, 'latin1');
  b.write(octal(size, 12), 124, 'latin1');
  b.write(octal(mtimeSeconds, 12), 136, 'latin1');
  b.write('        ', 148, 'latin1');
  b.write('0', 156, 'latin1');
  b.write('ustar\0', 257, 'latin1');
  b.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return b;
}

/**
 * Writes the `.ova` archive of the files of `dir`, in the order given.
 * @returns its size (bytes) and hex SHA-256. @throws fs errors; the signal's reason when aborted.
 */
export async function writeOva(
  ovaPath: string,
  dir: string,
  names: string[],
  signal: AbortSignal,
): Promise<{ size: number; sha256: string }> {
  const out = await open(ovaPath, 'wx');
  const hash = createHash('sha256');
  let size = 0;
  const put = async (bytes: Uint8Array) => {
    hash.update(bytes);
    await out.write(bytes);
    size += bytes.length;
  };
  const mtime = Math.floor(Date.now() / 1000);
  try {
    for (const name of names) {
      const member = await open(path.join(dir, name), 'r');
      const { size: memberSize } = await member.stat();
      await member.close();
      await put(ustarHeader(name, memberSize, mtime));
      for await (const piece of createReadStream(path.join(dir, name), { signal }))
        await put(piece as Buffer);
      const pad = (512 - (memberSize % 512)) % 512;
      if (pad) await put(Buffer.alloc(pad));
    }
    await put(Buffer.alloc(1024));
    await out.sync();
  } finally {
    await out.close();
  }
  return { size, sha256: hash.digest('hex') };
}
