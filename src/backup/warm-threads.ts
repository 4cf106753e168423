/**
 * @module backup/warm-threads: starts, at the app's start-up, the worker threads every backup and restore
 * uses (datastore read and upload, chunk store and load, whole-file digests) and keeps them for the
 * process's life: under tsx a thread costs 0.2 to 0.25 CPU s to start, which each backup paid again once the
 * threads had stopped after 30 s idle. Idle threads do not keep the process alive.
 */
import { warmChunkPools } from '../repository/pool.js';
import { warmReadPool } from './read-pool.js';
import { warmUploadPool } from './upload-pool.js';

/** Starts the backup and restore worker threads (returns at once; the threads load in the background). */
export function warmBackupThreads(): void {
  warmChunkPools();
  warmReadPool();
  warmUploadPool();
}
