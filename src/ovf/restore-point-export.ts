/**
 * @module ovf/restore-point-export: an export from a restore point, so a running VM is exported without
 * touching its host. Opens the restore point (index checked against its recorded SHA-256), checks free space,
 * converts each disk's flat extent to a streamOptimized VMDK (every chunk and whole file verified as read),
 * then finishes the package (package-dir.ts) with the descriptor built from the configuration the index keeps.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { openRestoreSource } from '../backup/restore-source.js';
import { storageFull } from '../backup/space.js';
import { getBackup } from '../db/backups.js';
import type { OvfExportRow } from '../db/ovf-exports.js';
import type { OvfPackageFile } from '../db/schema.js';
import { msg } from '../i18n/message.js';
import type { JobContext } from '../jobs/types.js';
import { safeSegment } from '../repository/format.js';
import { OvfError } from './errors.js';
import { finishPackage, openPartial } from './package-dir.js';
import { ovfSystem } from './system.js';
import { writeStreamVmdk } from './vmdk-writer.js';

/** zlib level of the grains: 6, zlib's default (ovftool's too). */
export const GRAIN_LEVEL = 6;

/**
 * Runs one export of a restore point. Progress: 0-2 % opening, 2-95 % disks (flat bytes read), then
 * descriptor, manifest, OVA.
 * @throws OvfError (restore point gone, a disk without data file); BackupError `no_space` before writing,
 *   `storage_full` on ENOSPC; CorruptBackupError naming a corrupt file; the abort reason when cancelled.
 */
export async function runRestorePointExport(ctx: JobContext, row: OvfExportRow): Promise<void> {
  const { deps, signal } = ctx;
  const backup = row.vm_backup_id ? await getBackup(deps.db, row.vm_backup_id) : null;
  if (!backup?.index_path || backup.status !== 'COMPLETED')
    throw new OvfError('backup_unavailable', 'ovf.error.backup_unavailable');
  ctx.report({ progress: 0, step: msg('step.verifying_backup') });
  const source = await openRestoreSource(deps, backup, signal, { from: 0, to: 2, report: ctx.report });
  const byName = new Map(source.manifest.files.map((f) => [f.name, f]));
  const extents = source.manifest.vm.disks.map((d) => {
    const file = d.extent ? byName.get(d.extent) : undefined;
    if (!file) throw new OvfError('no_disk_data', 'ovf.error.no_disk_data', { disk: d.label });
    return { disk: d, file };
  });
  const total = extents.reduce((n, e) => n + e.file.size_bytes, 0);
  const dir = await openPartial(row, total);
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
    const vmx = source.manifest.files.find((f) => f.type === 'config');
    const vmxText = vmx ? (await source.readAll(vmx, signal)).toString('utf8') : '';
    const disks = extents.map(({ disk }, i) => ({
      fileName: (files[i] as OvfPackageFile).name,
      fileSize: (files[i] as OvfPackageFile).size_bytes,
      capacityBytes: Math.max(disk.capacity_bytes, extents[i]?.file.size_bytes ?? 0),
      label: disk.label,
    }));
    const system = ovfSystem(source.manifest, disks, vmxText);
    await finishPackage(ctx, row, { dir, name, system, disks: files });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw storageFull(err, path.dirname(row.export_dir));
  }
}
