/**
 * @module ovf/package-dir: the folder of a package being made, for both sources (host, restore point). It is
 * opened as `<export_dir>.partial` after a free-space check, and finished by writing the `.ovf` and the `.mf`
 * (and, for `ova`, the archive in place of the loose files), renaming it to `<export_dir>` and only then
 * recording the files, so a partial package is never listed as complete.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freeBytes, spaceShortage } from '../backup/space.js';
import { type OvfExportRow, setOvfExportResult } from '../db/ovf-exports.js';
import type { OvfPackageFile } from '../db/schema.js';
import { msg } from '../i18n/message.js';
import type { JobContext } from '../jobs/types.js';
import { type OvfSystem, ovfDescriptor } from './descriptor.js';
import { manifestText, writeOva } from './package-files.js';

/** `<export_dir>.partial`: where a package is written until it is complete. */
export const partialDir = (row: Pick<OvfExportRow, 'export_dir'>): string => `${row.export_dir}.partial`;

/**
 * Checks free space, then creates an empty partial folder (removing one a previous attempt left).
 * @param diskBytes an upper bound of the disks' size in bytes (counted twice for an OVA, which copies them).
 * @returns the partial folder's path. @throws BackupError `no_space`.
 */
export async function openPartial(row: OvfExportRow, diskBytes: number): Promise<string> {
  const root = path.dirname(row.export_dir);
  await mkdir(root, { recursive: true });
  const shortage = spaceShortage(await freeBytes(root), diskBytes * (row.format === 'ova' ? 2 : 1), root);
  if (shortage) throw shortage;
  const dir = partialDir(row);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  return dir;
}

/** A file of the package folder as the manifest and the API list it. */
async function packageFile(dir: string, name: string, sha256: string): Promise<OvfPackageFile> {
  return { name, size_bytes: (await stat(path.join(dir, name))).size, sha256 };
}

/**
 * Finishes a package whose disks are written in `dir`: `.ovf`, `.mf`, the `.ova` for that format (progress
 * 95-99 %), then `beforeRename` (a host export completes its lease there), the rename and the record.
 * @param name the files' stem (a safe segment of the VM's name); disks the VMDKs in References order.
 * @throws fs errors; the signal's reason when aborted (the caller removes `dir`).
 */
export async function finishPackage(
  ctx: JobContext,
  row: OvfExportRow,
  pkg: { dir: string; name: string; system: OvfSystem; disks: OvfPackageFile[] },
  beforeRename: () => Promise<void> = async () => undefined,
): Promise<void> {
  const { dir, name } = pkg;
  ctx.report({ progress: 95, step: msg('ovf.step.descriptor') });
  const ovf = ovfDescriptor(pkg.system);
  await writeFile(path.join(dir, `${name}.ovf`), ovf, { flag: 'wx' });
  const ovfFile = await packageFile(dir, `${name}.ovf`, createHash('sha256').update(ovf).digest('hex'));
  const mf = manifestText([ovfFile, ...pkg.disks]);
  await writeFile(path.join(dir, `${name}.mf`), mf, { flag: 'wx' });
  const mfFile = await packageFile(dir, `${name}.mf`, createHash('sha256').update(mf).digest('hex'));
  let members = [ovfFile, mfFile, ...pkg.disks];
  let main = `${name}.ovf`;
  if (row.format === 'ova') {
    ctx.report({ progress: 97, step: msg('ovf.step.ova') });
    main = `${name}.ova`;
    const ova = await writeOva(
      path.join(dir, main),
      dir,
      members.map((m) => m.name),
      ctx.signal,
    );
    for (const m of members) await rm(path.join(dir, m.name));
    members = [{ name: main, size_bytes: ova.size, sha256: ova.sha256 }];
  }
  ctx.signal.throwIfAborted();
  await beforeRename();
  await rm(row.export_dir, { recursive: true, force: true });
  await rename(dir, row.export_dir);
  await setOvfExportResult(ctx.deps.db, row.id, {
    files: members,
    total_bytes: members.reduce((n, m) => n + m.size_bytes, 0),
    package_path: path.join(row.export_dir, main),
  });
  ctx.report({ progress: 100, step: msg('step.done') });
}
