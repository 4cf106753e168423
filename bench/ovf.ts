/**
 * @module bench/ovf: the OVF export (issue 16) of a restore point of a disk of BENCH_MIB MiB (default 1024, mixed
 * content: bench/support/mixed-disk.ts) of a simulated ESXi host over HTTPS. After one `vm_backup` job makes
 * the restore point (not timed), one run prints:
 * 1. the `ovf_export` job (chunks read and checked, grains deflated, `.ovf` and `.mf`) vs the baseline of
 *    the same run: `curl -s -k URL -o disk` of the disk from the simulator's datastore, then
 *    `qemu-img convert -O vmdk -o subformat=streamOptimized` of it (only those two are timed; target within
 *    1.2x); the exported VMDK must pass `qemu-img check` and `qemu-img compare` with the disk;
 * 2. the grain compression per core: ovf/grain-worker `compressGrains` (64 KiB grains, zero grains skipped,
 *    zlib deflate at the export's level) on one thread, over 4 MiB pieces of the disk.
 * Each figure says what bounds it, from the CPU seconds of every consumer (bench/support/report.ts).
 * Run: `npx tsx bench/ovf.ts` (BENCH_MIB=256 for a quicker run).
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createOvfExport, getOvfExport } from '../src/db/ovf-exports.js';
import { ovfExportJob } from '../src/ovf/export-job.js';
import { runJob } from '../test/backup/support.js';
import { startBenchHost } from './support/bench-host.js';
import { MIX, MiB } from './support/mixed-disk.js';
import { grainThroughput, runBaseline } from './support/ovf-probes.js';
import { measure } from './support/probes.js';
import { boundOf, CORES, cpuLine, detail, figure, mib, seconds } from './support/report.js';

const run = promisify(execFile);
const size = Number(process.env.BENCH_MIB ?? 1024) * MiB;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const host = await startBenchHost(size);
try {
  const pid = host.sim.pid;
  console.log(`disk: ${size / MiB} MiB of a govmomi simulator over HTTPS; the machine has ${CORES} cores`);
  console.log(`disk content: ${MIX}`);
  console.log(`load average at the start (1, 5, 15 min): ${load()}`);
  const backup = await host.backup();
  const base = await runBaseline(host.diskUrl, host.cookie, pid, host.tmp);

  const row = await createOvfExport(host.deps.db, { vm_backup_id: backup.id, format: 'ovf' });
  const stop = measure(pid);
  const { job } = await runJob(ovfExportJob, host.deps, row.job_id);
  const exportM = stop();
  if (job.status !== 'COMPLETED') throw new Error(`export ${job.status}: ${job.error}`);
  const done = await getOvfExport(host.deps.db, row.id);
  const vmdkFile = done?.files.find((f) => f.name.endsWith('.vmdk'));
  if (!done || !vmdkFile) throw new Error('export without a VMDK');
  const vmdk = path.join(done.export_dir, vmdkFile.name);
  const check = await run('qemu-img', ['check', '-f', 'vmdk', vmdk]).then(
    () => true,
    () => false,
  );
  const same = await run('qemu-img', ['compare', '-f', 'raw', '-F', 'vmdk', host.diskPath, vmdk]).then(
    () => true,
    () => false,
  );
  const tp = grainThroughput(host.diskPath, size);

  console.log(
    `exported VMDK: ${mib(vmdkFile.size_bytes)} (qemu-img's: ${mib(statSync(base.vmdk).size)}); ` +
      `qemu-img check ${check ? 'clean' : 'FAILED'}, qemu-img compare with the disk ${same ? 'identical' : 'DIFFERENT'}`,
  );
  console.log(`package: ${done.files.map((f) => `${f.name} ${mib(f.size_bytes)}`).join(', ')}`);
  console.log('');
  const baseMs = base.download.ms + base.convert.ms;
  const r1 = exportM.ms / baseMs;
  const tu = host.throughput;
  const cpu = (mbps: number, bytes = size) => bytes / 1e6 / mbps;
  const work =
    `model: deflate ${cpu(tp.deflated, tp.deflatedBytes * (size / tp.bytes)).toFixed(1)} + unzstd ` +
    `${cpu(tu.unzstd).toFixed(1)} + 2 x SHA-256 ${(2 * cpu(tu.sha256)).toFixed(1)} CPU s at single-core rates`;
  figure(
    '1',
    'OVF export of the restore point vs curl -o disk + qemu-img convert -O vmdk streamOptimized',
    '<= 1.2x',
    `${r1.toFixed(2)}x (${seconds(exportM.ms)} vs ${seconds(baseMs)} = curl ${seconds(base.download.ms)} + ` +
      `qemu-img ${seconds(base.convert.ms)})`,
    r1 <= 1.2 && check && same,
    boundOf(exportM, work),
  );
  detail(`export:   ${cpuLine(exportM)}`);
  detail(`curl:     ${cpuLine(base.download)}; bound by ${boundOf(base.download)}`);
  detail(`qemu-img: ${cpuLine(base.convert)}; bound by ${boundOf(base.convert)}`);
  const rate = size / 1e6 / (baseMs / 1000) / CORES;
  figure(
    '2',
    `grain compression per core (compressGrains, zlib level ${tp.level}, 4 MiB pieces of the disk)`,
    `>= the baseline's rate / ${CORES} cores = ${rate.toFixed(0)} MB/s`,
    `${tp.perCore.toFixed(0)} MB/s of disk (${tp.deflated.toFixed(0)} MB/s of the non-zero grains deflated, ` +
      `${(100 * tp.zeroShare).toFixed(0)} % zero grains skipped, ratio ${tp.ratio.toFixed(2)}x)`,
    tp.perCore >= rate,
    'one core, zlib deflate (Node zlib) of each 64 KiB grain',
  );
  console.log(`load average at the end (1, 5, 15 min): ${load()}`);
} finally {
  await host.close();
}
