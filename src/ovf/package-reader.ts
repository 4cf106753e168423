/**
 * @module ovf/package-reader: reads an OVF package to import it, a folder (`<name>.ovf` beside its files) or
 * an `.ova` (a ustar archive, the `.ovf` first, OVF 1.0 section 5.3), and checks its manifest before anything
 * is used: every file the `.mf` lists must exist with that digest (SHA256, or SHA1 as older ESXi and ovftool
 * wrote), and every file the descriptor references must be listed.
 * @see DMTF DSP0243 1.0 section 5.1 (manifest), 5.3 (OVA); POSIX ustar header layout.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { OvfError } from './errors.js';

/** One file of a package: where its bytes are (the file, or a range of the `.ova`). */
interface Member {
  name: string;
  file: string;
  offset: number;
  size: number;
}

/** An opened package whose manifest was checked. */
export interface OvfPackage {
  /** The `.ovf` descriptor's text. */
  descriptor: string;
  /** Size in bytes of a file of the package. @throws OvfError `package_file_missing`. */
  size(name: string): number;
  /** Streams a file of the package. @throws OvfError `package_file_missing`. */
  read(name: string, signal?: AbortSignal): Readable;
}

/** The members of an `.ova`, in archive order (regular files only). */
async function ovaMembers(file: string): Promise<Member[]> {
  const fh = await open(file, 'r');
  try {
    const total = (await fh.stat()).size;
    const out: Member[] = [];
    const header = Buffer.alloc(512);
    for (let at = 0; at + 512 <= total; ) {
      await fh.read(header, 0, 512, at);
      if (header.every((b) => b === 0)) break;
      const field = (from: number, len: number) =>
        header.toString('utf8', from, from + len).replace(/\0.*$/s, '');
      const prefix = field(345, 155);
      const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
      const size = Number.parseInt(field(124, 12).trim() || '0', 8);
      const type = field(156, 1);
      if (type === '0' || type === '') out.push({ name, file, offset: at + 512, size });
      at += 512 + Math.ceil(size / 512) * 512;
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** The files of a package folder. */
async function folderMembers(dir: string): Promise<Member[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      file: path.join(dir, name),
      offset: 0,
      size: (await stat(path.join(dir, name))).size,
    })),
  );
}

const stream = (m: Member, signal?: AbortSignal): Readable =>
  m.size === 0
    ? Readable.from([])
    : createReadStream(m.file, { start: m.offset, end: m.offset + m.size - 1, signal });

async function readText(m: Member): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream(m)) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

async function digest(m: Member, algorithm: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash(algorithm);
  for await (const c of stream(m, signal)) hash.update(c as Buffer);
  return hash.digest('hex');
}

const MF_LINE = /^(SHA256|SHA1)\((.+)\)\s*=\s*([0-9a-fA-F]+)\s*$/;

/**
 * Opens a package and checks its manifest: every listed file's digest, every referenced file listed.
 * @param packagePath the `.ova`, or the `.ovf` of a folder package.
 * @throws OvfError `package_unreadable` (no `.ovf`), `no_manifest`, `manifest_invalid` (a line not
 *   `SHA256(<file>)= <hex>`), `manifest_mismatch` (a file whose digest differs, naming it),
 *   `package_file_missing` (listed or referenced but absent), `manifest_incomplete` (referenced, not listed);
 *   the signal's reason when aborted.
 */
export async function openPackage(packagePath: string, signal?: AbortSignal): Promise<OvfPackage> {
  const isOva = packagePath.toLowerCase().endsWith('.ova');
  const members = isOva ? await ovaMembers(packagePath) : await folderMembers(path.dirname(packagePath));
  const byName = new Map(members.map((m) => [m.name, m]));
  const ovf = isOva ? members.find((m) => m.name.endsWith('.ovf')) : byName.get(path.basename(packagePath));
  if (!ovf) throw new OvfError('package_unreadable', 'ovf.import.package_unreadable', { path: packagePath });
  const mf = byName.get(ovf.name.replace(/\.ovf$/, '.mf'));
  if (!mf) throw new OvfError('no_manifest', 'ovf.import.no_manifest', { file: ovf.name });
  const member = (name: string): Member => {
    const m = byName.get(name);
    if (!m) throw new OvfError('package_file_missing', 'ovf.import.file_missing', { file: name });
    return m;
  };
  const listed = new Set<string>();
  for (const line of (await readText(mf)).split(/\r?\n/).filter((l) => l.trim() !== '')) {
    const [, algorithm, name, hex] = MF_LINE.exec(line) ?? [];
    if (!algorithm || !name || !hex)
      throw new OvfError('manifest_invalid', 'ovf.import.manifest_invalid', { line });
    const actual = await digest(member(name), algorithm.toLowerCase(), signal);
    if (actual !== hex.toLowerCase())
      throw new OvfError('manifest_mismatch', 'ovf.import.manifest_mismatch', { file: name });
    listed.add(name);
  }
  const descriptor = await readText(ovf);
  if (!listed.has(ovf.name))
    throw new OvfError('manifest_incomplete', 'ovf.import.manifest_incomplete', { file: ovf.name });
  for (const [, href] of descriptor.matchAll(/<File\b[^>]*\bovf:href="([^"]+)"/g)) {
    if (href && !listed.has(href))
      throw new OvfError('manifest_incomplete', 'ovf.import.manifest_incomplete', { file: href });
  }
  return {
    descriptor,
    size: (name) => member(name).size,
    read: (name, s) => stream(member(name), s),
  };
}

/** The names of the networks a descriptor's NetworkSection declares. */
export function descriptorNetworks(descriptor: string): string[] {
  return [...descriptor.matchAll(/<Network\b[^>]*\bovf:name="([^"]+)"/g)].map(([, name]) => name as string);
}
