/** @module db/pid-lock: a lock file holding a pid, so that only one live process opens the embedded database. */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** The embedded database is open in another live process. */
export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
}

/**
 * Takes the lock at `file`, replacing a stale one whose process is gone.
 * @returns a function that releases the lock.
 * @throws DatabaseLockedError when a live process holds it.
 */
export function acquirePidLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        if (readPid(file) === process.pid) unlinkSync(file);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPid(file);
      if (holder !== null && isAlive(holder)) {
        throw new DatabaseLockedError(
          `the embedded database is in use by process ${holder} (PGlite allows one process only; stop it or set DATABASE_URL)`,
        );
      }
      unlinkSync(file);
    }
  }
  throw new DatabaseLockedError(`could not take the lock ${file}`);
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
