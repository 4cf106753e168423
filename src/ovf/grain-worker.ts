/**
 * @module ovf/grain-worker: Piscina worker that turns a piece of a disk into streamOptimized grains: each
 * 64 KiB grain that is not all zeros is compressed with zlib deflate and framed as the format wants it
 * (grain marker: lba u64, compressed size u32, the data, zeros to the next sector). Called through
 * ovf/grain-pool.ts only.
 */
import { deflateSync } from 'node:zlib';
import { GRAIN_BYTES, GRAIN_MARKER_BYTES, GRAIN_SECTORS, SECTOR } from './vmdk-format.js';

export interface GrainTask {
  /** The piece's bytes (a chunk slot, shared, not copied; left alone by the caller until the task ends). */
  slot: SharedArrayBuffer;
  length: number;
  /** Grain number of the piece's first byte in the disk (the piece starts on a grain boundary). */
  firstGrain: number;
  /** zlib level 1-9. */
  level: number;
}

/** The framed grains, back to back; `grains[i]` is the disk grain number, `sectors[i]` its framed length. */
export interface GrainResult {
  data: Uint8Array;
  grains: number[];
  sectors: number[];
}

const ZEROS = Buffer.alloc(GRAIN_BYTES);

/** Compresses and frames the grains of one piece (see the module header). */
export function compressGrains(task: GrainTask): GrainResult {
  const plain = Buffer.from(task.slot, 0, task.length);
  const framed: Buffer[] = [];
  const grains: number[] = [];
  const sectors: number[] = [];
  for (let at = 0; at < plain.length; at += GRAIN_BYTES) {
    let grain: Buffer = plain.subarray(at, Math.min(at + GRAIN_BYTES, plain.length));
    if (grain.equals(ZEROS.subarray(0, grain.length))) continue;
    if (grain.length < GRAIN_BYTES) grain = Buffer.concat([grain, ZEROS.subarray(grain.length)]);
    const data = deflateSync(grain, { level: task.level });
    const n = task.firstGrain + at / GRAIN_BYTES;
    const count = Math.ceil((GRAIN_MARKER_BYTES + data.length) / SECTOR);
    const out = Buffer.alloc(count * SECTOR);
    out.writeBigUInt64LE(BigInt(n * GRAIN_SECTORS), 0);
    out.writeUInt32LE(data.length, 8);
    data.copy(out, GRAIN_MARKER_BYTES);
    framed.push(out);
    grains.push(n);
    sectors.push(count);
  }
  return { data: Buffer.concat(framed), grains, sectors };
}
