/**
 * @module bench/support/ovf-probes: what the OVF benchmark measures besides the export job: the baseline
 * (`curl` of the disk to a file, then `qemu-img convert` of it to a streamOptimized VMDK, each timed with
 * the CPU seconds of every consumer) and the single-thread throughput of the export's grain compression.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { compressGrains } from '../../src/ovf/grain-worker.js';
import { GRAIN_LEVEL } from '../../src/ovf/restore-point-export.js';
import { GRAIN_BYTES } from '../../src/ovf/vmdk-format.js';
import { readChunks } from './mixed-disk.js';
import { type Measure, measure, timesSeconds } from './probes.js';

const run = promisify(execFile);
const PIECE = 4 * 1024 * 1024;

/** Runs `script` in bash followed by `times`. @returns the CPU seconds of its children (s). */
async function childSeconds(script: string): Promise<number> {
  const { stdout } = await run('bash', ['-o', 'pipefail', '-c', `${script}; times`]);
  return timesSeconds(stdout.trim().split('\n').at(-1));
}

/**
 * The baseline: `curl -s -k -f URL -o <dir>/baseline.raw` (with the session cookie), then
 * `qemu-img convert -f raw -O vmdk -o subformat=streamOptimized` of it to `<dir>/baseline.vmdk`. The raw
 * copy is removed at the end, the VMDK kept for its size.
 * @returns each step's measure and the VMDK's path.
 */
export async function runBaseline(url: string, cookie: string | null, simPid: number, dir: string) {
  const raw = path.join(dir, 'baseline.raw');
  const vmdk = path.join(dir, 'baseline.vmdk');
  const auth = cookie ? `-b '${cookie}'` : '';
  let stop = measure(simPid);
  const download: Measure = stop({ curl: await childSeconds(`curl -s -k -f ${auth} '${url}' -o '${raw}'`) });
  stop = measure(simPid);
  const convert: Measure = stop({
    qemuImg: await childSeconds(
      `qemu-img convert -f raw -O vmdk -o subformat=streamOptimized '${raw}' '${vmdk}'`,
    ),
  });
  rmSync(raw);
  return { download, convert, vmdk };
}

/**
 * One thread's rate of ovf/grain-worker `compressGrains` (as the export's workers call it) on up to 32
 * pieces of 4 MiB spread over the disk file (`size` bytes).
 * @returns `perCore`: MB/s of disk bytes (1 MB = 10^6 bytes); `deflated`: MB/s of the non-zero grains
 *   (those deflated), `deflatedBytes` their bytes; `zeroShare`: the share of zero grains (skipped);
 *   `ratio`: input bytes / framed output bytes; `bytes` the input sampled; `level` the zlib level.
 */
export function grainThroughput(file: string, size: number) {
  const pieces = readChunks(file, size, PIECE, 32).map((chunk) => {
    const slot = new SharedArrayBuffer(chunk.length);
    Buffer.from(slot).set(chunk);
    return { slot, length: chunk.length };
  });
  const bytes = pieces.reduce((n, p) => n + p.length, 0);
  let grains = 0;
  let out = 0;
  const start = performance.now();
  for (const p of pieces) {
    const result = compressGrains({ ...p, firstGrain: 0, level: GRAIN_LEVEL });
    grains += result.grains.length;
    out += result.data.length;
  }
  const ms = performance.now() - start;
  const deflatedBytes = grains * GRAIN_BYTES;
  return {
    perCore: bytes / 1e3 / ms,
    deflated: deflatedBytes / 1e3 / ms,
    deflatedBytes,
    zeroShare: 1 - deflatedBytes / bytes,
    ratio: bytes / Math.max(out, 1),
    bytes,
    level: GRAIN_LEVEL,
  };
}
