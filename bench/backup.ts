/**
 * @module bench/backup: backs up a VM with a 1 GiB random disk from a simulated host and compares with
 * `curl -s -k -o file URL && sha256sum file` on the same URL. Prints wall times and their ratio (target
 * within 1.15x), peak RSS growth (target < 150 MB) and event-loop lag p99 during the backup (target < 50 ms).
 * Run: `npx tsx bench/backup.ts` (BENCH_MIB=1024 to change the disk size).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { type Manifest, vmBackupJob } from '../src/backup/index.js';
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
import { datastoreFileUrl, putDatastoreFile, VSphereClient } from '../src/vsphere/index.js';
import { closeWorkerPools } from '../src/workers/pool.js';
import { startSimulator } from '../test/support/simulator.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const size = Number(process.env.BENCH_MIB ?? 1024) * MiB;
const tmp = mkdtempSync(path.join(tmpdir(), 'ebm-bench-'));

/** Random data in 4 MiB chunks, hashed as it is produced (never held whole in memory). */
function randomSource(bytes: number, hash: ReturnType<typeof createHash>): Readable {
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const chunk = randomBytes(Math.min(4 * MiB, left));
      left -= chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
}

async function curl(url: string): Promise<{ ms: number; sha: string }> {
  const out = path.join(tmp, 'curl.bin');
  const start = performance.now();
  const { stdout } = await run('bash', ['-c', `curl -s -k -o "${out}" "${url}" && sha256sum "${out}"`]);
  const ms = performance.now() - start;
  rmSync(out);
  return { ms, sha: stdout.split(' ')[0] ?? '' };
}

const sim = await startSimulator({ tls: true });
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
  const sourceHash = createHash('sha256');
  await putDatastoreFile(client, { ...disk, body: randomSource(size, sourceHash), size });
  const sourceSha = sourceHash.digest('hex');
  const url = datastoreFileUrl(client, disk);
  await client.logout();

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

  const curlBefore = await curl(url);
  const row = await createBackupJob(deps.db, { virtual_machine_id: vm.id });
  const [job] = await deps.db.query.jobs.findMany({ where: (j, { eq }) => eq(j.id, row.job_id) });
  if (!job) throw new Error('no job');
  global.gc?.();
  const rssBase = process.memoryUsage.rss();
  let rssPeak = rssBase;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 20);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const start = performance.now();
  let copyStart = 0;
  await vmBackupJob.handler({
    job,
    deps,
    signal: new AbortController().signal,
    report: (u) => {
      if (!copyStart && u.step?.key === 'step.copying') copyStart = performance.now();
    },
  });
  const oursMs = performance.now() - start;
  const copyMs = performance.now() - copyStart;
  lag.disable();
  clearInterval(sampler);
  const curlAfter = await curl(url);

  const backup = await getBackup(deps.db, row.id);
  const manifest = JSON.parse(
    readFileSync(path.join(backup?.backup_dir ?? '', 'manifest.json'), 'utf8'),
  ) as Manifest;
  const ours = manifest.files.find((f) => f.name === 'disk1-flat.vmdk');
  const curlMs = (curlBefore.ms + curlAfter.ms) / 2;
  const ratio = oursMs / curlMs;
  const rssGrowth = (rssPeak - rssBase) / MiB;
  const p99 = lag.percentile(99) / 1e6;
  const ok = (b: boolean) => (b ? 'OK' : 'MISSED');
  console.log(`disk: ${size / MiB} MiB over HTTPS from the govmomi simulator`);
  console.log(`SHA-256 match: source=${ours?.sha256 === sourceSha} curl=${curlBefore.sha === sourceSha}`);
  console.log(
    `curl + sha256sum: ${curlBefore.ms.toFixed(0)} ms, ${curlAfter.ms.toFixed(0)} ms (mean ${curlMs.toFixed(0)} ms)`,
  );
  console.log(
    `backup job (snapshot, copy+hash, manifest, snapshot removal): ${oursMs.toFixed(0)} ms (copy steps ${copyMs.toFixed(0)} ms)`,
  );
  console.log(`throughput: ${(size / MiB / (oursMs / 1000)).toFixed(0)} MiB/s`);
  console.log(`ratio ours/curl: ${ratio.toFixed(2)}x (target <= 1.15x) ${ok(ratio <= 1.15)}`);
  console.log(`peak RSS growth: ${rssGrowth.toFixed(1)} MB (target < 150 MB) ${ok(rssGrowth < 150)}`);
  console.log(
    `event-loop lag p99: ${p99.toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms (target < 50 ms) ${ok(p99 < 50)}`,
  );
} finally {
  await closeWorkerPools();
  await database.close();
  await sim.stop();
  rmSync(tmp, { recursive: true, force: true });
}
