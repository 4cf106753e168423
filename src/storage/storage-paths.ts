/**
 * @module storage/storage-paths: validation of backup destinations. A storage path is an absolute
 * directory the app can write to; it is created when missing. Its free space comes from statfs. A bad one
 * is an InvalidInputError naming the field (`name` taken, `path` not writable).
 */
import { constants } from 'node:fs';
import { access, mkdir, statfs } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import {
  insertDefaultStoragePath,
  isStoragePathNameTaken,
  listStoragePaths,
  type StoragePathRow,
} from '../db/storage-paths.js';
import { invalidField } from '../errors.js';

export { type PreparedRepository, prepareRepository, WrongPassphraseError } from './repository-setup.js';

const bool = z.preprocess(
  (v) => (v === 'on' || v === 'true' ? true : v === 'false' ? false : v),
  z.boolean(),
);

export const storagePathSchema = z.object({
  name: z.string().trim().min(1).max(100),
  path: z
    .string()
    .trim()
    .min(1)
    .refine((p) => path.isAbsolute(p), { error: 'storage.field.absolute' }),
  storage_type: z.enum(['local', 'nfs', 'smb']).default('local'),
  description: z.string().max(500).default(''),
  is_active: bool.default(true),
  /** Encrypt the repository (chosen at creation, never changed later). */
  encrypted: bool.default(false),
  /** The repository's passphrase (encrypted only): never stored, returned or logged. */
  passphrase: z.string().min(8).max(1024).optional(),
});
export type StoragePathInput = z.output<typeof storagePathSchema>;

/** The page's form: the API's fields plus the passphrase typed twice. */
export const storagePathFormSchema = storagePathSchema.extend({
  passphrase: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(8).max(1024).optional()),
  passphrase_confirm: z.string().max(1024).optional(),
});

/** The columns of a storage path row from its input (without the passphrase). */
export function storagePathColumns(input: StoragePathInput) {
  const { passphrase: _passphrase, ...columns } = input as StoragePathInput & { passphrase_confirm?: string };
  delete (columns as { passphrase_confirm?: string }).passphrase_confirm;
  return columns;
}

/**
 * Checks a storage path before saving it: unique name, directory created if missing and writable.
 * @throws InvalidInputError (400) naming the field at fault.
 */
export async function checkStoragePath(db: Db, input: StoragePathInput, exceptId?: number): Promise<void> {
  if (await isStoragePathNameTaken(db, input.name, exceptId)) {
    throw invalidField('name', 'storage.error.name_taken');
  }
  try {
    await mkdir(input.path, { recursive: true });
    await access(input.path, constants.W_OK);
  } catch (err) {
    throw invalidField('path', 'storage.error.not_writable', {
      code: (err as NodeJS.ErrnoException).code ?? 'error',
    });
  }
}

/** Capacity and free space in bytes of the file system holding the path (null when unreadable). */
export async function storageSpace(
  dir: string,
): Promise<{ capacity_bytes: number; free_bytes: number } | null> {
  try {
    const s = await statfs(dir);
    return { capacity_bytes: s.blocks * s.bsize, free_bytes: s.bavail * s.bsize };
  } catch {
    return null;
  }
}

/**
 * On a fresh installation, registers BACKUP_DIR as the storage path `default`, so that "back up now" works
 * before an admin adds any. Does nothing once any storage path exists (even an inactive one).
 * @returns the created row, or null.
 */
export async function ensureDefaultStoragePath(db: Db, backupDir: string): Promise<StoragePathRow | null> {
  if ((await listStoragePaths(db)).length > 0) return null;
  await mkdir(backupDir, { recursive: true });
  return insertDefaultStoragePath(db, backupDir);
}
