/** @module test/backup/support: runs backup/restore handlers the way the job runner would, against simulators. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { type JobStatus, jobs } from '../../src/db/schema.js';
import { insertStoragePath } from '../../src/db/storage-paths.js';
import type { AppDeps } from '../../src/deps.js';
import { storeMessage } from '../../src/i18n/message.js';
import { registerServer } from '../../src/inventory/servers.js';
import { syncInventory } from '../../src/inventory/sync.js';
import { storedError } from '../../src/jobs/execute.js';
import type { JobTypeDefinition, ProgressUpdate } from '../../src/jobs/types.js';
import { putDatastoreFile, VSphereClient } from '../../src/vsphere/index.js';
import type { Simulator } from '../support/simulator.js';

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Registers a simulator as an ESXi server and syncs its inventory. @returns the server id. */
export async function addServer(deps: AppDeps, sim: Simulator, name: string): Promise<number> {
  const id = await registerServer(deps, {
    name,
    hostname: sim.hostname,
    port: sim.port,
    protocol: sim.protocol,
    username: sim.username,
    password: sim.password,
    is_active: true,
  });
  await syncInventory(deps, id);
  return id;
}

const storageDirs: string[] = [];

/** A fresh storage path in a temporary directory (removed by {@link removeStorageDirs}). */
export async function addStoragePath(deps: AppDeps, name = 'local') {
  const dir = mkdtempSync(path.join(tmpdir(), 'ebm-backups-'));
  storageDirs.push(dir);
  return insertStoragePath(deps.db, { name, path: dir });
}

/** Removes the directories made by {@link addStoragePath}. */
export function removeStorageDirs(): void {
  for (const dir of storageDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const connect = (sim: Simulator) => VSphereClient.connect({ ...sim, thumbprint: sim.thumbprint });

/** PUTs `data` to a datastore file of the simulator. */
export async function putFile(client: VSphereClient, sim: Simulator, file: string, data: Buffer | string) {
  const body = Buffer.from(data);
  await putDatastoreFile(client, {
    datacenter: sim.datacenter,
    datastore: sim.datastores[0]?.name ?? '',
    path: file,
    body: Readable.from([body]),
    size: body.length,
  });
}

/**
 * Runs a job's handler like the runner: IN_PROGRESS, then COMPLETED / FAILED / CANCELLED with the error
 * (stored as the runner stores it: its message and code, src/jobs/execute.ts `storedError`).
 * @returns the final job row and every progress report.
 */
export async function runJob(
  def: JobTypeDefinition,
  deps: AppDeps,
  jobId: number,
  opts: { controller?: AbortController; onReport?: (u: ProgressUpdate, c: AbortController) => void } = {},
) {
  const controller = opts.controller ?? new AbortController();
  await deps.db.update(jobs).set({ status: 'IN_PROGRESS', started_at: new Date() }).where(eq(jobs.id, jobId));
  const [job] = await deps.db.select().from(jobs).where(eq(jobs.id, jobId));
  if (!job) throw new Error(`no job ${jobId}`);
  const reports: ProgressUpdate[] = [];
  const report = (u: ProgressUpdate) => {
    reports.push(u);
    opts.onReport?.(u, controller);
  };
  let status: JobStatus = 'COMPLETED';
  let error: string | null = null;
  try {
    await def.handler({ job, deps, signal: controller.signal, report });
  } catch (err) {
    status = controller.signal.aborted ? 'CANCELLED' : 'FAILED';
    error = storedError(err);
  }
  const last = Object.assign({}, ...reports) as ProgressUpdate;
  await deps.db
    .update(jobs)
    .set({
      status,
      error,
      finished_at: new Date(),
      step: last.step ? storeMessage(last.step) : '',
      progress: last.progress ?? 0,
    })
    .where(eq(jobs.id, jobId));
  const [done] = await deps.db.select().from(jobs).where(eq(jobs.id, jobId));
  return { job: done as typeof job, reports };
}

/** The index of a restore point, as JSON (`vm_backups.index_path`). */
export function readIndexJson(indexPath: string): {
  files: Array<{ name: string; size: number; sha256: string; chunks: Array<string | null> }>;
  logical_bytes: number;
  bytes_written: number;
} {
  return JSON.parse(readFileSync(indexPath, 'utf8'));
}

/** The chunk file of piece `piece` of `fileName` in a restore point (`P/.chunks/<4 hex>/<digest>`). */
export function chunkFileOf(indexPath: string, fileName: string, piece = 0): string {
  const repo = path.dirname(path.dirname(path.dirname(indexPath)));
  const digest = readIndexJson(indexPath).files.find((f) => f.name === fileName)?.chunks[piece];
  if (!digest) throw new Error(`no stored chunk ${piece} of ${fileName}`);
  return path.join(repo, '.chunks', digest.slice(0, 4), digest);
}

/** Bytes of every chunk file of a repository. */
export function chunkBytes(repo: string): number {
  const dir = path.join(repo, '.chunks');
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const sub of readdirSync(dir)) {
    for (const f of readdirSync(path.join(dir, sub))) total += statSync(path.join(dir, sub, f)).size;
  }
  return total;
}

/** Flips one byte near the end of a file (the payload of a chunk blob). @returns a function undoing it. */
export function flipByte(file: string): () => void {
  const original = readFileSync(file);
  const bytes = Buffer.from(original);
  const at = bytes.length - 7;
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
  return () => writeFileSync(file, original);
}
