/**
 * @module backup/file-selection: which files of a VM a restore needs (the .vmx, the .nvram and the disks'
 * descriptors and extents as they were at the backup's snapshot), and how many bytes they will take.
 */
import type { VmLayout } from '../vsphere/vm-files.js';
import { BackupError } from './errors.js';

/** One file to copy from the datastore. */
export interface SourceFile {
  /** Datastore path `[ds] dir/file`. */
  name: string;
  datastore: string;
  /** Path inside the datastore, e.g. `vm1/disk1-flat.vmdk`. */
  path: string;
  /** File name in the backup directory (the datastore file's base name). */
  fileName: string;
  type: string;
  /** Expected bytes (what datastore HTTP will send: a thin base extent reads as its full capacity). */
  expectedBytes: number;
}

/** Two files of the VM would land under the same name in the backup directory (code `file_name_clash`). */
export class FileNameClashError extends BackupError {
  override name = 'FileNameClashError';
  constructor(fileName: string) {
    super('file_name_clash', 'backups.error.file_clash', { file: fileName });
  }
}

/** Splits `[ds] dir/file` into its datastore and path. @returns null when it is not a datastore path. */
export function parseDatastorePath(name: string): { datastore: string; path: string } | null {
  const m = /^\[([^\]]+)\]\s*(.+)$/.exec(name);
  return m ? { datastore: m[1] as string, path: m[2] as string } : null;
}

/**
 * Picks the files to back up: `config` and `nvram`, plus every descriptor and extent of each disk chain as
 * recorded for `snapshot` (read-only, consistent), falling back to the base link of each current chain.
 * Not copied: logs, swap, .vmsd/.vmsn, and the delta disks the snapshot created.
 * @param snapshot the backup snapshot's MoRef value.
 * @returns the files, in layout order, with their expected size in bytes.
 * @throws FileNameClashError when two files share a base name (disks in different folders with the same name).
 */
export function selectBackupFiles(layout: VmLayout, snapshot: string | null): SourceFile[] {
  const byKey = new Map(layout.files.map((f) => [f.key, f]));
  const chains = (snapshot ? layout.snapshotDisks.get(snapshot) : undefined) ?? [
    ...layout.disks.map((d) => ({ key: d.key, chain: d.chain.slice(0, 1) })),
  ];
  const wanted = new Map<number, number>(); // file key -> minimum expected size
  for (const f of layout.files) if (f.type === 'config' || f.type === 'nvram') wanted.set(f.key, f.size);
  for (const disk of chains) {
    const capacity = layout.devices.find((d) => d.key === disk.key)?.capacityBytes ?? 0;
    disk.chain.forEach((unit, depth) => {
      for (const key of unit) {
        const file = byKey.get(key);
        if (!file) continue;
        const flatBase = depth === 0 && file.type === 'diskExtent' && /-flat\.vmdk$/.test(file.name);
        wanted.set(key, flatBase ? Math.max(file.size, capacity) : file.size);
      }
    });
  }
  const out: SourceFile[] = [];
  const names = new Set<string>();
  for (const f of layout.files) {
    const expected = wanted.get(f.key);
    const where = parseDatastorePath(f.name);
    if (expected === undefined || !where) continue;
    const fileName = where.path.split('/').pop() as string;
    if (names.has(fileName)) {
      throw new FileNameClashError(fileName);
    }
    names.add(fileName);
    out.push({ name: f.name, ...where, fileName, type: f.type, expectedBytes: expected });
  }
  return out;
}
