/** @module db/storage-paths: StoragePath rows (backup destinations). */
import { asc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { storage_paths } from './schema.js';

export type StoragePathRow = typeof storage_paths.$inferSelect;
export type StoragePathInsert = typeof storage_paths.$inferInsert;

export async function listStoragePaths(db: Db): Promise<StoragePathRow[]> {
  return db.select().from(storage_paths).orderBy(asc(storage_paths.name));
}

export async function getStoragePath(db: Db, id: number): Promise<StoragePathRow | null> {
  const [row] = await db.select().from(storage_paths).where(eq(storage_paths.id, id));
  return row ?? null;
}

export async function isStoragePathNameTaken(db: Db, name: string, exceptId?: number): Promise<boolean> {
  const rows = await db
    .select({ id: storage_paths.id })
    .from(storage_paths)
    .where(eq(storage_paths.name, name));
  return rows.some((r) => r.id !== exceptId);
}

export async function insertStoragePath(db: Db, values: StoragePathInsert): Promise<StoragePathRow> {
  const [row] = await db.insert(storage_paths).values(values).returning();
  return row as StoragePathRow;
}

export async function updateStoragePath(
  db: Db,
  id: number,
  values: Partial<StoragePathInsert>,
): Promise<StoragePathRow | null> {
  const [row] = await db
    .update(storage_paths)
    .set({ ...values, updated_at: new Date() })
    .where(eq(storage_paths.id, id))
    .returning();
  return row ?? null;
}

/**
 * Registers `dir` as the storage path `default` (description `BACKUP_DIR`). Two processes starting together
 * may both try: the unique name lets one of them win quietly.
 * @returns the created row, or null when `default` exists already.
 */
export async function insertDefaultStoragePath(db: Db, dir: string): Promise<StoragePathRow | null> {
  const [row] = await db
    .insert(storage_paths)
    .values({ name: 'default', path: dir, description: 'BACKUP_DIR' })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

export async function deleteStoragePath(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(storage_paths)
    .where(eq(storage_paths.id, id))
    .returning({ id: storage_paths.id });
  return rows.length > 0;
}
