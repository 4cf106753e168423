/**
 * @module bench/cbt: a VM with a 1 GiB random disk and Changed Block Tracking on, backed up in full (the first
 * backup with CBT reads every area in use), then 1 % of the disk changed in ten places by its guest, then
 * backed up again (incremental). Prints both wall times and their ratio (target: the incremental under 10 %
 * of the full), and the incremental's bytes read (target: under 2 % of the disk: only the changed areas are
 * fetched, each laid over its chunk's earlier copy).
 * Run: `npx tsx bench/cbt.ts` (BENCH_MIB=1024 to change the disk size).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { vmBackupJob } from '../src/backup/index.js';
import { loadConfig } from '../src/config.js';
import { createBackupJob, getBackup } from '../src/db/backups.js';
import { openDatabase } from '../src/db/client.js';
import { listVirtualMachines } from '../src/db/inventory.js';
import { migrate } from '../src/db/migrate.js';
import { insertStoragePath } from '../src/db/storage-paths.js';
import { createDeps } from '../src/deps.js';
import { registerServer } from '../src/inventory/servers.js';
import { syncInventory } from '../src/inventory/sync.js';
import { createLogger } from '../src/logger.js';
import { closeChunkPool } from '../src/repository/pool.js';
import {
  putDatastoreFile,
  retrieveOne,
  setChangeTracking,
  VSphereClient,
  vmRef,
} from '../src/vsphere/index.js';
import { closeWorkerPools } from '../src/workers/pool.js';
import { guestWrite } from '../test/support/guest-disk.js';
import { startSimulator } from '../test/support/simulator.js';

const MiB = 1024 * 1024;
const mib = Number(process.env.BENCH_MIB ?? 1024);
const size = mib * MiB;
const tmp = mkdtempSync(path.join(tmpdir(), 'ebm-bench-cbt-'));

/** Random data in 4 MiB pieces (never held whole in memory). */
function randomSource(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const piece = randomBytes(Math.min(4 * MiB, left));
      left -= piece.length;
      this.push(piece);
    },
  });
}

const sim = await startSimulator({ tls: true, vms: 1, diskMib: mib });
const database = await openDatabase({ dataDir: path.join(tmp, 'data') });
try {
  await migrate(database);
  const config = loadConfig({
    DATA_DIR: path.join(tmp, 'data'),
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-000',
    LOG_LEVEL: 'warn',
  });
  const deps = createDeps(config, database, createLogger('warn'));
  const client = await VSphereClient.connect({ ...sim, thumbprint: sim.thumbprint });
  const disk = {
    datacenter: sim.datacenter,
    datastore: sim.datastores[0]?.name ?? '',
    path: 'ha-host_VM0/disk1-flat.vmdk',
  };
  await putDatastoreFile(client, { ...disk, body: randomSource(size), size });
  const serverId = await registerServer(deps, {
    name: 'bench',
    hostname: sim.hostname,
    port: sim.port,
    protocol: sim.protocol,
    username: sim.username,
    password: sim.password,
    is_active: true,
  });
  await syncInventory(deps, serverId);
  await insertStoragePath(deps.db, { name: 'bench', path: path.join(tmp, 'backups') });
  const vm = (await listVirtualMachines(deps.db)).rows.find((r) => r.vm.name === 'ha-host_VM0')?.vm;
  if (!vm) throw new Error('no VM');
  const ref = vmRef(vm.moref);
  await setChangeTracking(client, ref, true);
  const devices = (await retrieveOne(client, ref, ['config.hardware.device']))['config.hardware.device'];
  const key = Number((devices as Array<Record<string, unknown>>).find((d) => d._type === 'VirtualDisk')?.key);

  /** One backup, timed. @returns its row and wall time (ms). */
  const backUp = async () => {
    const row = await createBackupJob(deps.db, { virtual_machine_id: vm.id });
    const [job] = await deps.db.query.jobs.findMany({ where: (j, { eq }) => eq(j.id, row.job_id) });
    if (!job) throw new Error('no job');
    const start = performance.now();
    await vmBackupJob.handler({ job, deps, signal: new AbortController().signal, report: () => {} });
    const ms = performance.now() - start;
    return { ms, backup: await getBackup(deps.db, row.id) };
  };

  const full = await backUp();
  const place = Math.floor(size / 100 / 10 / 512) * 512;
  for (let i = 0; i < 10; i++) {
    const at = Math.floor(((i + 0.5) * size) / 10 / 512) * 512;
    await guestWrite(sim, vm.moref, key, at, randomBytes(place));
  }
  const incremental = await backUp();
  await client.logout();

  const ok = (b: boolean) => (b ? 'OK' : 'MISSED');
  const ratio = incremental.ms / full.ms;
  const read = incremental.backup?.bytes_read ?? 0;
  console.log(
    `disk: ${mib} MiB over HTTPS from the govmomi simulator; 10 guest writes of ${(place / MiB).toFixed(2)} MiB`,
  );
  console.log(
    `full (first with CBT, areas in use): ${full.ms.toFixed(0)} ms, mode ${full.backup?.mode}, read ${(
      (full.backup?.bytes_read ?? 0) / MiB
    ).toFixed(1)} MiB`,
  );
  console.log(
    `incremental: ${incremental.ms.toFixed(0)} ms, mode ${incremental.backup?.mode}, CBT reported ${(
      (incremental.backup?.changed_bytes ?? 0) / MiB
    ).toFixed(2)} MiB`,
  );
  console.log(`ratio incremental/full: ${(ratio * 100).toFixed(1)} % (target < 10 %) ${ok(ratio < 0.1)}`);
  console.log(
    `bytes read: ${(read / MiB).toFixed(1)} MiB = ${((100 * read) / size).toFixed(2)} % of the disk (target < 2 %) ${ok(read < 0.02 * size)}`,
  );
} finally {
  await closeChunkPool();
  await closeWorkerPools();
  await database.close();
  await sim.stop();
  rmSync(tmp, { recursive: true, force: true });
}
