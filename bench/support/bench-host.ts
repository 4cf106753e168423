/**
 * @module bench/support/bench-host: the repository benchmark's world, set up as the other benchmarks do: one
 * simulated ESXi host (HTTPS), an embedded database (PGlite) with the app's deps, the host registered, a
 * storage path (a repository from the first backup), and VM `ha-host_VM0` given a .vmx, a descriptor, an
 * nvram and a mixed flat extent written straight into the datastore's backing directory. Runs the real
 * `vm_backup` and `restore` jobs as the job runner would (test/backup/support.ts `runJob`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { restoreJob, vmBackupJob, warmBackupThreads } from '../../src/backup/index.js';
import { loadConfig } from '../../src/config.js';
import { createBackupJob, createRestoreJob, getBackup } from '../../src/db/backups.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { migrate } from '../../src/db/migrate.js';
import { insertStoragePath } from '../../src/db/storage-paths.js';
import { createDeps } from '../../src/deps.js';
import type { ProgressUpdate } from '../../src/jobs/types.js';
import { createLogger } from '../../src/logger.js';
import { closeChunkPool } from '../../src/repository/pool.js';
import { datastoreFileUrl, VSphereClient } from '../../src/vsphere/index.js';
import { closeWorkerPools } from '../../src/workers/pool.js';
import { addServer, chunkBytes, runJob } from '../../test/backup/support.js';
import { type Simulator, startSimulator } from '../../test/support/simulator.js';
import type { Throughput } from './probes.js';

const VM = 'ha-host_VM0';
export const DISK_FILE = 'disk1-flat.vmdk';
const VMX = `.encoding = "UTF-8"\nconfig.version = "8"\ndisplayName = "${VM}"\nnvram = "${VM}.nvram"\nscsi0:0.fileName = "disk1.vmdk"\n`;
const run = promisify(execFile);

/**
 * Writes the mixed disk in a child process (write-disk.ts).
 * @returns its hex SHA-256 and the single-thread throughput measured on its chunks.
 */
async function writeDisk(
  file: string,
  bytes: number,
  seed: number,
): Promise<{ sha256: string; throughput: Throughput }> {
  const script = fileURLToPath(new URL('./write-disk.ts', import.meta.url));
  const args = ['--import', import.meta.resolve('tsx'), script, file, String(bytes), String(seed)];
  const { stdout } = await run(process.execPath, args);
  return JSON.parse(stdout);
}

const descriptor = (bytes: number) =>
  `# Disk DescriptorFile\nversion=1\ncreateType="vmfs"\nRW ${bytes / 512} VMFS "${DISK_FILE}"\n`;

/**
 * Starts everything for a disk of `bytes` bytes (a multiple of 1 MiB).
 * @returns the host and helpers; `close()` stops and removes everything (as a failed start does).
 */
export async function startBenchHost(bytes: number) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ebm-bench-repo-'));
  const sim = await startSimulator({ tls: true });
  const database = await openDatabase({ dataDir: path.join(tmp, 'data') }).catch(async (err) => {
    await sim.stop();
    throw err;
  });
  const stop = async () => {
    await closeChunkPool();
    await closeWorkerPools();
    await database.close();
    await sim.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    return await prepare(bytes, tmp, sim, database, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The setup after the simulator and the database are up (see startBenchHost). */
async function prepare(
  bytes: number,
  tmp: string,
  sim: Simulator,
  database: Database,
  stop: () => Promise<void>,
) {
  await migrate(database);
  const config = loadConfig({
    DATA_DIR: path.join(tmp, 'data'),
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-000',
    LOG_LEVEL: 'warn',
    // Every restore point of the run stays listed (8 backups).
    BACKUP_RETENTION_COUNT: '100',
  });
  const deps = createDeps(config, database, createLogger('warn'));
  // As the app's start-up does (src/index.ts).
  warmBackupThreads();
  const datastore = sim.datastores[0] ?? { name: '', path: '' };
  const vmDir = path.join(datastore.path, VM);
  const diskPath = path.join(vmDir, DISK_FILE);
  const disk = await writeDisk(diskPath, bytes, 12);
  writeFileSync(path.join(vmDir, `${VM}.vmx`), VMX);
  writeFileSync(path.join(vmDir, 'disk1.vmdk'), descriptor(bytes));
  writeFileSync(path.join(vmDir, `${VM}.nvram`), Buffer.alloc(8192, 1));
  const client = await VSphereClient.connect({ ...sim, thumbprint: sim.thumbprint });
  const serverId = await addServer(deps, sim, 'bench');
  const repoDir = path.join(tmp, 'repository');
  const storage = await insertStoragePath(deps.db, { name: 'bench', path: repoDir });
  const vm = (await listVirtualMachines(deps.db)).rows.find((r) => r.vm.name === VM)?.vm;
  if (!vm) throw new Error(`no VM ${VM}`);
  const file = (p: string) => ({ datacenter: sim.datacenter, datastore: datastore.name, path: p });

  return {
    sim,
    tmp,
    /** The app's deps (database, config, logger), for the jobs a benchmark runs itself. */
    deps,
    diskPath,
    diskSha256: disk.sha256,
    /** zstd, unzstd, SHA-256 (MB/s, one thread) and zstd's ratio on chunks of the disk as first written. */
    throughput: disk.throughput,
    datastoreDir: datastore.path,
    /** Session cookie of a logged-in client, for curl. */
    cookie: client.sessionCookie,
    /** Datastore HTTP URL of a path in the datastore. */
    url: (p: string) => datastoreFileUrl(client, file(p)),
    diskUrl: datastoreFileUrl(client, file(`${VM}/${DISK_FILE}`)),
    /** Bytes of every chunk file of the repository. */
    physicalBytes: () => chunkBytes(repoDir),
    /** Runs one `vm_backup` job of the VM. @returns the backup row (bytes_written, index_path...). */
    async backup() {
      const row = await createBackupJob(deps.db, { virtual_machine_id: vm.id, storage_path_id: storage.id });
      const { job } = await runJob(vmBackupJob, deps, row.job_id);
      if (job.status !== 'COMPLETED') throw new Error(`backup ${job.status}: ${job.error}`);
      const done = await getBackup(deps.db, row.id);
      if (!done) throw new Error('backup row gone');
      return done;
    },
    /**
     * Runs one `restore` job of backup `backupId` to this host as VM `vmName`.
     * @returns the restored flat extent's path and when each step started (ms since the job's start).
     */
    async restore(backupId: number, vmName: string) {
      const row = await createRestoreJob(deps.db, {
        vm_backup_id: backupId,
        esxi_server_id: serverId,
        datastore: datastore.name,
        vm_name: vmName,
      });
      const start = performance.now();
      const steps: Array<{ key: string; file: string; at: number }> = [];
      const onReport = (u: ProgressUpdate) => {
        const key = u.step?.key;
        const file = String(u.step?.params?.file ?? '');
        const last = steps.at(-1);
        if (key && (last?.key !== key || last.file !== file))
          steps.push({ key, file, at: performance.now() - start });
      };
      const { job } = await runJob(restoreJob, deps, row.job_id, { onReport });
      if (job.status !== 'COMPLETED') throw new Error(`restore ${job.status}: ${job.error}`);
      return { steps, restoredDisk: path.join(datastore.path, vmName, DISK_FILE) };
    },
    async close() {
      await client.logout().catch(() => {});
      await stop();
    },
  };
}
