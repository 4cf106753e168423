/**
 * @module bench/support/probes: what the repository benchmark measures around each phase: wall time and CPU
 * seconds per consumer (this process's main thread, its worker threads, libuv's pool, the simulator, curl,
 * qemu-img),
 * the curl baselines, RSS and event-loop lag sampling, and single-thread zstd / SHA-256 throughput.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { zstdOptions } from '../../src/repository/blob.js';

const run = promisify(execFile);
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const HZ = 100;

/** CPU seconds (user + system) of a process or a thread, from its /proc stat file. */
function statSeconds(file: string): number {
  try {
    const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / HZ;
  } catch {
    return 0; // the thread ended
  }
}

/** CPU seconds of this process's long-lived threads, by role (/proc/self/task/<tid>/comm). */
function threadSeconds(): { main: number; libuv: number; v8: number } {
  const out = { main: 0, libuv: 0, v8: 0 };
  for (const tid of readdirSync('/proc/self/task')) {
    const comm = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    const s = statSeconds(`/proc/self/task/${tid}/stat`);
    if (comm === 'MainThread') out.main += s;
    else if (comm === 'libuv-worker') out.libuv += s;
    else if (comm === 'V8Worker') out.v8 += s;
  }
  return out;
}

/** Machine-wide busy and iowait seconds (all cores), from /proc/stat's `cpu` line. */
function machineSeconds(): { busy: number; iowait: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user = 0, nice = 0, system = 0, , iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { busy: (user + nice + system + irq + softirq + steal) / HZ, iowait: iowait / HZ };
}

/**
 * Wall time and CPU seconds of one phase. `v8`: V8's helper threads (parallel GC, compilation);
 * `workers`: every other thread of ours (the Piscina workers, including their start);
 * `others`: every other process of the machine (other jobs sharing it); `iowait`: idle CPU waiting on disk.
 */
export interface Measure {
  ms: number;
  main: number;
  workers: number;
  libuv: number;
  v8: number;
  simulator: number;
  curl: number;
  sha256sum: number;
  qemuImg: number;
  others: number;
  iowait: number;
}

/** CPU seconds of the child tools of a phase, as `times` reports them (see curlRead). */
export type ToolSeconds = Partial<Pick<Measure, 'curl' | 'sha256sum' | 'qemuImg'>>;

/** Starts measuring; the returned function stops and gives the figures (child tools: the seconds it is told). */
export function measure(simulatorPid: number): (tools?: ToolSeconds) => Measure {
  const process0 = process.cpuUsage();
  const threads0 = threadSeconds();
  const sim0 = statSeconds(`/proc/${simulatorPid}/stat`);
  const machine0 = machineSeconds();
  const start = performance.now();
  return (given = {}) => {
    const tools = { curl: 0, sha256sum: 0, qemuImg: 0, ...given };
    const ms = performance.now() - start;
    const { user, system } = process.cpuUsage(process0);
    const threads = threadSeconds();
    const main = threads.main - threads0.main;
    const libuv = threads.libuv - threads0.libuv;
    const v8 = threads.v8 - threads0.v8;
    const total = (user + system) / 1e6;
    const simulator = statSeconds(`/proc/${simulatorPid}/stat`) - sim0;
    const machine = machineSeconds();
    return {
      ms,
      main,
      libuv,
      v8,
      workers: Math.max(0, total - main - libuv - v8),
      simulator,
      ...tools,
      others: Math.max(
        0,
        machine.busy - machine0.busy - total - simulator - tools.curl - tools.sha256sum - tools.qemuImg,
      ),
      iowait: machine.iowait - machine0.iowait,
    };
  };
}

/** CPU seconds (user + system) of a line of bash's `times` (`0m1.234s 0m0.567s`). */
export function timesSeconds(line: string | undefined): number {
  return (line ?? '')
    .split(' ')
    .map((t) => {
      const [, m, s] = /(\d+)m([\d.]+)s/.exec(t) ?? [];
      return Number(m ?? 0) * 60 + Number(s ?? 0);
    })
    .reduce((a, b) => a + b, 0);
}

/**
 * `curl -s -k URL | sha256sum` (with the session cookie). The pipeline's second part runs `times` after
 * sha256sum (its children: sha256sum alone), the shell `times` last (every child): curl is the difference.
 * @returns the measure and the hex digest.
 */
export async function curlRead(url: string, cookie: string | null, simPid: number) {
  const stop = measure(simPid);
  const auth = cookie ? `-b '${cookie}'` : '';
  const { stdout } = await run('bash', [
    '-o',
    'pipefail',
    '-c',
    `curl -s -k -f ${auth} '${url}' | { sha256sum; times; }; times`,
  ]);
  const lines = stdout.trim().split('\n');
  const sha256sum = timesSeconds(lines[2]);
  const all = timesSeconds(lines[4]);
  return { ...stop({ curl: Math.max(0, all - sha256sum), sha256sum }), sha256: stdout.split(' ')[0] ?? '' };
}

/** `curl -s -k -T file URL` (with the session cookie). */
export async function curlUpload(file: string, url: string, cookie: string | null, simPid: number) {
  const stop = measure(simPid);
  const auth = cookie ? `-b '${cookie}'` : '';
  const { stdout } = await run('bash', [
    '-c',
    `curl -s -k -f ${auth} -T '${file}' '${url}' -o /dev/null; times`,
  ]);
  return stop({ curl: timesSeconds(stdout.trim().split('\n').at(-1)) });
}

/**
 * RSS (every 20 ms) and event-loop delay while resumed (the phases to judge), from a base taken now
 * (after a full garbage collection). `result()`: peak RSS growth over the base (MB), and the worst span's
 * lag p99 and max (ms).
 */
export function sampleProcess() {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  const base = process.memoryUsage.rss();
  let peak = base;
  let timer: NodeJS.Timeout | null = null;
  // A fresh delay monitor per span: a re-enabled one would count the pause as lag, and they cannot be merged.
  let span: ReturnType<typeof monitorEventLoopDelay> | null = null;
  const lag = { p99: 0, max: 0 };
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  return {
    resume() {
      timer ??= setInterval(sample, 20);
      span ??= monitorEventLoopDelay({ resolution: 10 });
      span.enable();
    },
    pause() {
      if (timer) clearInterval(timer);
      timer = null;
      sample();
      if (!span) return;
      span.disable();
      lag.p99 = Math.max(lag.p99, span.percentile(99));
      lag.max = Math.max(lag.max, span.max);
      span = null;
    },
    /** Peak RSS growth so far (MB). */
    growthMB: () => (peak - base) / 1e6,
    result: () => ({ rssGrowthMB: (peak - base) / 1e6, lagP99Ms: lag.p99 / 1e6, lagMaxMs: lag.max / 1e6 }),
  };
}

/** MB/s of input (1 MB = 10^6 bytes), one thread; `ratio`: input / zstd output. */
export interface Throughput {
  zstd: number;
  unzstd: number;
  sha256: number;
  ratio: number;
  bytes: number;
}

/** Single-thread throughput over `chunks`: zstd with the writer's options (and back as the reader does), SHA-256. */
export function throughput(chunks: Buffer[]): Throughput {
  const bytes = chunks.reduce((sum, c) => sum + c.length, 0);
  const rate = (work: () => void) => {
    const start = performance.now();
    work();
    return bytes / 1e3 / (performance.now() - start);
  };
  let packed: Buffer[] = [];
  const zstd = rate(() => {
    packed = chunks.map((c) => zlib.zstdCompressSync(c, zstdOptions(c.length)));
  });
  const unzstd = rate(() => {
    // As the reader does (repository/blob.ts): one output buffer of the chunk's length.
    for (const [i, p] of packed.entries()) {
      const size = chunks[i]?.length ?? 0;
      zlib.zstdDecompressSync(p, { maxOutputLength: Math.max(size, 1), chunkSize: Math.max(size, 64) });
    }
  });
  const sha256 = rate(() => {
    for (const c of chunks) createHash('sha256').update(c).digest();
  });
  const ratio = bytes / packed.reduce((sum, p) => sum + p.length, 0);
  return { zstd, unzstd, sha256, ratio, bytes };
}
