/**
 * @module bench/replication: replicates a VM with a 1 GiB random disk between two simulated hosts (the whole
 * `replication` job: snapshot, host-to-host streamed copy with SHA-256 and read-back verification, register,
 * snapshot removal) and compares, in the same run, with a raw `curl` GET piped into a `curl` PUT between the
 * same datastore endpoints (no hashing, no verification). Runs both BENCH_ROUNDS times (default 2),
 * alternating, and prints each wall time, the best of each and their ratio (target within 1.15x).
 * Run: `npx tsx bench/replication.ts` (BENCH_MIB=1024 to change the disk size).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { MessageChannel } from 'node:worker_threads';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { listVirtualMachines } from '../src/db/inventory.js';
import { migrate } from '../src/db/migrate.js';
import { getReplication, insertReplication, insertRunJob } from '../src/db/replications.js';
import { createDeps } from '../src/deps.js';
import { registerServer } from '../src/inventory/servers.js';
import { syncInventory } from '../src/inventory/sync.js';
import type { JobContext } from '../src/jobs/types.js';
import { createLogger } from '../src/logger.js';
import { replicationJob } from '../src/replication/index.js';
import { relayFile } from '../src/replication/relay-pool.js';
import { relay } from '../src/replication/relay-worker.js';
import { datastoreFileUrl, putDatastoreFile, VSphereClient } from '../src/vsphere/index.js';
import { closeWorkerPools } from '../src/workers/pool.js';
import { startSimulator } from '../test/support/simulator.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const size = Number(process.env.BENCH_MIB ?? 1024) * MiB;
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const tmp = mkdtempSync(path.join(tmpdir(), 'ebm-bench-repl-'));

function randomSource(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const chunk = randomBytes(Math.min(4 * MiB, left));
      left -= chunk.length;
      this.push(chunk);
    },
  });
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const [source, dest] = await Promise.all([startSimulator({ tls: true }), startSimulator({ tls: true })]);
const database = await openDatabase({ dataDir: path.join(tmp, 'data') });
try {
  await migrate(database);
  const config = loadConfig({
    DATA_DIR: path.join(tmp, 'data'),
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-000',
    LOG_LEVEL: 'warn',
  });
  const deps = createDeps(config, database, createLogger('warn'));
  const src = await VSphereClient.connect({ ...source, thumbprint: source.thumbprint });
  const dst = await VSphereClient.connect({ ...dest, thumbprint: dest.thumbprint });
  const ds = (sim: typeof source) => sim.datastores[0]?.name ?? '';
  const disk = { datacenter: source.datacenter, datastore: ds(source), path: 'ha-host_VM0/disk1-flat.vmdk' };
  await putDatastoreFile(src, { ...disk, body: randomSource(size), size });
  const ids: number[] = [];
  for (const [name, sim] of [
    ['source', source],
    ['dest', dest],
  ] as const) {
    const { hostname, port, protocol, username, password } = sim;
    const id = await registerServer(deps, {
      name,
      hostname,
      port,
      protocol,
      username,
      password,
      is_active: true,
    });
    await syncInventory(deps, id);
    ids.push(id);
  }
  const vm = (await listVirtualMachines(deps.db, { esxi_server: ids[0], search: 'ha-host_VM0' })).rows[0]?.vm;
  if (!vm) throw new Error('no VM');
  const row = await insertReplication(deps.db, {
    name: 'bench',
    virtual_machine_id: vm.id,
    source_server_id: ids[0] as number,
    destination_server_id: ids[1] as number,
    destination_datastore: ds(dest),
  });

  async function replicate(round: number): Promise<number> {
    const view = await getReplication(deps.db, row.id);
    if (!view) throw new Error('no replication');
    const job = await insertRunJob(deps.db, view, { existing_replica: round === 0 ? undefined : 'delete' });
    const ctx: JobContext = { job, deps, signal: new AbortController().signal, report: () => {} };
    const before = [ownCpuSeconds(), cpuSeconds(source.pid), cpuSeconds(dest.pid)];
    const start = performance.now();
    await replicationJob.handler(ctx);
    const took = performance.now() - start;
    cpu.ours = [ownCpuSeconds(), cpuSeconds(source.pid), cpuSeconds(dest.pid)].map(
      (v, i) => v - (before[i] ?? 0),
    );
    return took;
  }
  const cpu: Record<'ours' | 'curl', number[]> = { ours: [], curl: [] };

  async function curlPipe(): Promise<number> {
    const from = datastoreFileUrl(src, disk);
    const to = datastoreFileUrl(dst, {
      datacenter: dest.datacenter,
      datastore: ds(dest),
      path: 'curl/disk1-flat.vmdk',
    });
    const get = `curl -s -k -f -b '${src.sessionCookie}' '${from}'`;
    const put = `curl -s -k -f -b '${dst.sessionCookie}' -T - -H 'Content-Length: ${size}' '${to}' -o /dev/null`;
    const before = [cpuSeconds(source.pid), cpuSeconds(dest.pid)];
    const start = performance.now();
    const { stdout } = await run('bash', ['-o', 'pipefail', '-c', `${get} | ${put}; times`]);
    const took = performance.now() - start;
    // `times`: the shell's own user/system, then its children's (the two curls), as `0m1.234s 0m0.567s`.
    const children = (stdout.trim().split('\n').at(-1) ?? '').split(' ').map((t) => {
      const [, m, sec] = /(\d+)m([\d.]+)s/.exec(t) ?? [];
      return Number(m) * 60 + Number(sec);
    });
    cpu.curl = [
      (children[0] ?? 0) + (children[1] ?? 0),
      cpuSeconds(source.pid) - (before[0] ?? 0),
      cpuSeconds(dest.pid) - (before[1] ?? 0),
    ];
    return took;
  }

  /** The copy engine alone: the `relay` worker function in this thread, its frontier unread. */
  async function copyAlone(): Promise<number> {
    const frontier = new MessageChannel();
    const port = new MessageChannel();
    const start = performance.now();
    const result = await relay({
      source: ep(src, disk),
      dest: ep(dst, { ...disk, datastore: ds(dest), path: 'alone/disk1-flat.vmdk' }),
      frontier: frontier.port1,
      port: port.port1,
    });
    if (result.failed) throw new Error(`copy failed: ${result.failed}`);
    frontier.port2.close();
    port.port2.close();
    return performance.now() - start;
  }

  const ep = (c: VSphereClient, f: typeof disk) => ({
    url: datastoreFileUrl(c, f),
    cookie: c.sessionCookie,
    thumbprint: c.thumbprint,
  });
  const ours: number[] = [];
  const curls: number[] = [];
  const alone: number[] = [];
  for (let round = 0; round < rounds; round++) {
    curls.push(await curlPipe());
    ours.push(await replicate(round));
    alone.push(await copyAlone());
  }
  const phase = await relayFile(
    ep(src, disk),
    ep(dst, { ...disk, datastore: ds(dest), path: 'phase/disk1-flat.vmdk' }),
    new AbortController().signal,
  );
  const best = (xs: number[]) => Math.min(...xs);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rate = (ms: number) => `${((size / MiB / ms) * 1000).toFixed(0)} MiB/s`;
  console.log(`disk: ${size / MiB} MiB, rounds: ${rounds}`);
  console.log(`replication job (SHA-256 + read-back check): ${ours.map(seconds).join(', ')}`);
  console.log(`curl GET | curl PUT (no hash, no verify):     ${curls.map(seconds).join(', ')}`);
  console.log(
    `best: ours ${seconds(best(ours))} (${rate(best(ours))}), curl ${seconds(best(curls))} (${rate(best(curls))})`,
  );
  console.log(
    `one relayFile of the disk: copy + SHA-256 ${seconds(phase.copyMs ?? 0)} (the check reading behind it), then ${seconds(phase.verifyMs ?? 0)} to finish the check`,
  );
  const cpuLine = (xs: number[]) => xs.map((v) => v.toFixed(2)).join(' / ');
  console.log(
    `CPU seconds, last round (copier / source simulator / destination simulator; ${os.availableParallelism()} cores): ours ${cpuLine(cpu.ours)}, curl ${cpuLine(cpu.curl)}`,
  );
  console.log(
    `copy engine alone (GET -> PUT + SHA-256, no read-back): ${alone.map(seconds).join(', ')}; best vs curl ${(best(alone) / best(curls)).toFixed(2)}x`,
  );
  console.log(`ratio (best ours / best curl): ${(best(ours) / best(curls)).toFixed(2)}x (target <= 1.15x)`);
  await src.logout();
  await dst.logout();
} finally {
  await closeWorkerPools();
  await database.close();
  await Promise.all([source.stop(), dest.stop()]);
  rmSync(tmp, { recursive: true, force: true });
}
