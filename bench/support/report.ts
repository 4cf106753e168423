/**
 * @module bench/support/report: the repository benchmark's output lines. A figure line gives its target,
 * what was measured, PASS or MISS and what bounds it; the bound of a timed phase is read from its CPU
 * seconds (see probes.ts `Measure`): every core busy, one consumer holding a core, or nobody (waiting).
 */
import os from 'node:os';
import type { Measure } from './probes.js';

export const CORES = os.availableParallelism();
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Prints `N. label: target T, measured M: PASS|MISS; bound by B`. */
export function figure(
  n: string,
  label: string,
  target: string,
  measured: string,
  ok: boolean,
  bound: string,
) {
  console.log(
    `${n}. ${label}: target ${target}, measured ${measured}: ${ok ? 'PASS' : 'MISS'}; bound by ${bound}`,
  );
}

/** Prints an indented detail line. */
export const detail = (text: string) => console.log(`     ${text}`);

/** The CPU seconds of a phase by consumer, largest first. */
function consumers(m: Measure): Array<[string, number]> {
  const list: Array<[string, number]> = [
    ['our main thread (HTTPS, TLS, copies into chunk slots)', m.main],
    ['our worker threads (SHA-256, zstd or deflate, chunk I/O, their start)', m.workers],
    ["the simulator's HTTP server", m.simulator],
    ['curl', m.curl],
    ["coreutils' sha256sum", m.sha256sum],
    ['qemu-img', m.qemuImg],
    ["libuv's fs pool", m.libuv],
    ["V8's helper threads (GC of every thread)", m.v8],
    ['other processes of the machine', m.others],
  ];
  return list.sort((a, b) => b[1] - a[1]);
}

/** One line of a phase's CPU seconds, e.g. `wall 4.20 s; CPU s: main 1.2, workers 3.0, ...`. */
export function cpuLine(m: Measure): string {
  const busy =
    (m.main + m.workers + m.libuv + m.v8 + m.simulator + m.curl + m.sha256sum + m.qemuImg + m.others) /
    (m.ms / 1000);
  const f = (v: number) => v.toFixed(2);
  return (
    `wall ${seconds(m.ms)}; CPU s: main ${f(m.main)}, workers ${f(m.workers)}, libuv ${f(m.libuv)}, V8 ${f(m.v8)}, ` +
    `simulator ${f(m.simulator)}, curl ${f(m.curl)}, sha256sum ${f(m.sha256sum)}, ` +
    `${m.qemuImg ? `qemu-img ${f(m.qemuImg)}, ` : ''}other processes ${f(m.others)}, iowait ${f(m.iowait)} ` +
    `(${busy.toFixed(2)} of ${CORES} cores busy)`
  );
}

/**
 * What bounds a timed phase: every core busy (naming the largest consumer), one consumer holding about a
 * core, or else waiting (I/O, fsync, round trips).
 * @param work optional model of our CPU work (e.g. `SHA-256 x2 + zstd = 9.1 s at single-core rates`).
 */
export function boundOf(m: Measure, work?: string): string {
  const wall = m.ms / 1000;
  const list = consumers(m);
  const [name, cpu] = list[0] as [string, number];
  const busy = list.reduce((sum, [, v]) => sum + v, 0) / wall;
  const share = `${((100 * cpu) / wall).toFixed(0)} % of a core`;
  if (busy >= 0.85 * CORES) {
    return `CPU on ${CORES} cores (${busy.toFixed(2)} busy), mostly ${name} at ${share}${work ? `; ${work}` : ''}`;
  }
  if (cpu / wall >= 0.85) return `${name}, one core (${share})`;
  const disk = m.iowait / wall >= 0.3 ? `disk (iowait ${m.iowait.toFixed(2)} s), ` : '';
  return `waiting: ${disk}${busy.toFixed(2)} of ${CORES} cores busy, top ${name} at ${share}`;
}
