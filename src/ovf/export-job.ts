/**
 * @module ovf/export-job: the `ovf_export` job. Opens the restore point (index checked against its recorded
 * SHA-256), checks free space, converts each disk's flat extent to a streamOptimized VMDK (every chunk and
 * whole file verified as read), writes the `.ovf` and the `.mf`, and for `ova` archives them; all inside
 * `<export_dir>.partial`, renamed to `<export_dir>` when complete. A failure or cancel removes the partial
 * folder; so does the cleanup after a dead worker. The package path is recorded only once complete.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openRestoreSource } from '../backup/restore-source.js';
import { freeBytes, spaceShortage, storageFull } from '../backup/space.js';
import { getBackup } from '../db/backups.js';
import { getOvfExportByJob, type OvfExportRow, setOvfExportResult } from '../db/ovf-exports.js';
import type { OvfPackageFile } from '../db/schema.js';
import { msg } from '../i18n/message.js';
import type { JobContext, JobRow, JobTypeDefinition } from '../jobs/types.js';
import { safeSegment } from '../repository/format.js';
import { ovfDescriptor } from './descriptor.js';
import { OvfError } from './errors.js';
import { manifestText, writeOva } from './package-files.js';
import { ovfSystem } from './system.js';
import { writeStreamVmdk } from './vmdk-writer.js';

/** zlib level of the grains: 6, zlib's default (ovftool's too). */
export const GRAIN_LEVEL = 6;

/** `<export_dir>.partial`: where a package is written until it is complete. */
export const partialDir = (row: Pick<OvfExportRow, 'export_dir'>): string => `${row.export_dir}.partial`;

async function loadExport(ctx: JobContext) {
  const row = await getOvfExportByJob(ctx.deps.db, ctx.job.id);
  if (!row) throw new OvfError('no_export_row', 'ovf.error.no_export_row', { job: ctx.job.id });
  const backup = row.vm_backup_id ? await getBackup(ctx.deps.db, row.vm_backup_id) : null;
  if (!backup?.index_path || backup.status !== 'COMPLETED')
    throw new OvfError('backup_unavailable', 'ovf.error.backup_unavailable');
  return { row, backup };
}

/** A file of the package folder as the manifest and the API list it. */
async function packageFile(dir: string, name: string, sha256: string): Promise<OvfPackageFile> {
  return { name, size_bytes: (await stat(path.join(dir, name))).size, sha256 };
}

/**
 * Runs one export. Progress: 0-2 % opening, 2-95 % disks (flat bytes read), then descriptor, manifest, OVA.
 * @throws OvfError (restore point gone, a disk without data file); BackupError `no_space` before writing,
 *   `storage_full` on ENOSPC; CorruptBackupError naming a corrupt file; the abort reason when cancelled.
 */
async function runExport(ctx: JobContext): Promise<void> {
  const { deps, signal } = ctx;
  const { row, backup } = await loadExport(ctx);
  ctx.report({ progress: 0, step: msg('step.verifying_backup') });
  const source = await openRestoreSource(deps, backup, signal, { from: 0, to: 2, report: ctx.report });
  const byName = new Map(source.manifest.files.map((f) => [f.name, f]));
  const extents = source.manifest.vm.disks.map((d) => {
    const file = d.extent ? byName.get(d.extent) : undefined;
    if (!file) throw new OvfError('no_disk_data', 'ovf.error.no_disk_data', { disk: d.label });
    return { disk: d, file };
  });
  const total = extents.reduce((n, e) => n + e.file.size_bytes, 0);
  const root = path.dirname(row.export_dir);
  await mkdir(root, { recursive: true });
  const shortage = spaceShortage(await freeBytes(root), total * (row.format === 'ova' ? 2 : 1), root);
  if (shortage) throw shortage;
  const dir = partialDir(row);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  try {
    const name = safeSegment(row.vm_name);
    const files: OvfPackageFile[] = [];
    let done = 0;
    for (const [i, { disk, file }] of extents.entries()) {
      const fileName = `${name}-disk${i + 1}.vmdk`;
      ctx.report({ step: msg('ovf.step.disk', { disk: disk.label }), bytes_total: total });
      const written = await writeStreamVmdk({
        path: path.join(dir, fileName),
        fileName,
        sizeBytes: file.size_bytes,
        pieces: source.readSlots(file, signal),
        level: GRAIN_LEVEL,
        signal,
        onBytes: (b) =>
          ctx.report({
            progress: 2 + Math.floor((93 * (done + b)) / Math.max(1, total)),
            bytes_done: done + b,
          }),
      });
      done += file.size_bytes;
      files.push({ name: fileName, size_bytes: written.size, sha256: written.sha256 });
    }
    ctx.report({ progress: 95, step: msg('ovf.step.descriptor') });
    const vmx = source.manifest.files.find((f) => f.type === 'config');
    const vmxText = vmx ? (await source.readAll(vmx, signal)).toString('utf8') : '';
    const disks = extents.map(({ disk }, i) => ({
      fileName: (files[i] as OvfPackageFile).name,
      fileSize: (files[i] as OvfPackageFile).size_bytes,
      capacityBytes: Math.max(disk.capacity_bytes, extents[i]?.file.size_bytes ?? 0),
      label: disk.label,
    }));
    const ovf = ovfDescriptor(ovfSystem(source.manifest, disks, vmxText));
    await writeFile(path.join(dir, `${name}.ovf`), ovf, { flag: 'wx' });
    const ovfFile = await packageFile(dir, `${name}.ovf`, createHash('sha256').update(ovf).digest('hex'));
    const mf = manifestText([ovfFile, ...files]);
    await writeFile(path.join(dir, `${name}.mf`), mf, { flag: 'wx' });
    const mfFile = await packageFile(dir, `${name}.mf`, createHash('sha256').update(mf).digest('hex'));
    let members = [ovfFile, mfFile, ...files];
    let main = `${name}.ovf`;
    if (row.format === 'ova') {
      ctx.report({ progress: 97, step: msg('ovf.step.ova') });
      main = `${name}.ova`;
      const ova = await writeOva(
        path.join(dir, main),
        dir,
        members.map((m) => m.name),
        signal,
      );
      for (const m of members) await rm(path.join(dir, m.name));
      members = [{ name: main, size_bytes: ova.size, sha256: ova.sha256 }];
    }
    signal.throwIfAborted();
    await rm(row.export_dir, { recursive: true, force: true });
    await rename(dir, row.export_dir);
    await setOvfExportResult(deps.db, row.id, {
      files: members,
      total_bytes: members.reduce((n, m) => n + m.size_bytes, 0),
      package_path: path.join(row.export_dir, main),
    });
    ctx.report({ progress: 100, step: msg('step.done') });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw storageFull(err, root);
  }
}

/** After a dead worker: removes the partial package folder (idempotent). */
async function cleanupExport(job: JobRow, deps: JobContext['deps']): Promise<void> {
  const row = await getOvfExportByJob(deps.db, job.id);
  if (row) await rm(partialDir(row), { recursive: true, force: true });
}

/** The `ovf_export` job type. */
export const ovfExportJob: JobTypeDefinition = {
  handler: runExport,
  cancellable: true,
  cleanupInterrupted: cleanupExport,
};
