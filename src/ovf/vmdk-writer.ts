/**
 * @module ovf/vmdk-writer: writes one `streamOptimized` VMDK from a disk's flat bytes (ovf/vmdk-format.ts):
 * header and descriptor, then the compressed grains in disk order (all-zero grains skipped), then the grain
 * tables, the grain directory, the footer and the end-of-stream marker. Pieces are compressed in parallel
 * (ovf/grain-pool.ts) and written in order; the file's SHA-256 is computed as it is written.
 */
import { createHash, randomInt } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { FilledSlot } from '../repository/file-writer.js';
import { giveSlot } from '../repository/pool.js';
import { OvfError } from './errors.js';
import { compressPiece, GRAIN_THREADS } from './grain-pool.js';
import type { GrainResult } from './grain-worker.js';
import {
  entrySectors,
  GRAIN_BYTES,
  GTES_PER_GT,
  MARKER_FOOTER,
  MARKER_GD,
  MARKER_GT,
  metadataMarker,
  overheadSectors,
  SECTOR,
  sectorsFor,
  sparseHeader,
  streamDescriptor,
} from './vmdk-format.js';

/** A VMDK written: its size in bytes and hex SHA-256. */
export interface WrittenVmdk {
  size: number;
  sha256: string;
}

/** What to write: the disk's flat size (bytes), its pieces in order, where, and how hard to compress. */
export interface VmdkInput {
  path: string;
  /** Name of the VMDK in its package (its descriptor names itself as its extent). */
  fileName: string;
  sizeBytes: number;
  pieces: AsyncIterable<FilledSlot>;
  level: number;
  signal: AbortSignal;
  /** Called with the flat bytes consumed so far. */
  onBytes?: (bytes: number) => void;
}

/**
 * Writes the VMDK (creating `input.path`, which must not exist).
 * @throws OvfError `chunk_size` when a piece (but the last) is not a whole number of grains; fs errors (ENOSPC...); the
 *   signal's reason when aborted (the caller removes the partial file).
 */
export async function writeStreamVmdk(input: VmdkInput): Promise<WrittenVmdk> {
  const capacitySectors = sectorsFor(input.sizeBytes);
  const descriptor = streamDescriptor(input.fileName, capacitySectors, randomInt(1, 0xffffffff));
  const descriptorSectors = descriptor.length / SECTOR;
  const file = await open(input.path, 'wx');
  const hash = createHash('sha256');
  let sector = 0;
  const write = async (bytes: Uint8Array) => {
    hash.update(bytes);
    await file.write(bytes);
    sector += bytes.length / SECTOR;
  };
  try {
    await write(sparseHeader({ capacitySectors, descriptorSectors, gdOffset: null }));
    await write(descriptor);
    await write(Buffer.alloc((overheadSectors(descriptorSectors) - sector) * SECTOR));
    const grainCount = Math.ceil(capacitySectors / (GRAIN_BYTES / SECTOR));
    const table = new Uint32Array(grainCount);
    const inFlight: Array<{ slot: SharedArrayBuffer; result: Promise<GrainResult> }> = [];
    const flush = async () => {
      const { slot, result } = inFlight.shift() as (typeof inFlight)[number];
      const done = await result.finally(() => giveSlot(slot));
      let at = sector;
      done.grains.forEach((g, i) => {
        table[g] = at;
        at += done.sectors[i] as number;
      });
      await write(done.data);
    };
    let offset = 0;
    let lastLength = 0;
    try {
      for await (const { slot, length } of input.pieces) {
        if (offset % GRAIN_BYTES !== 0)
          throw new OvfError('chunk_size', 'ovf.error.chunk_size', { size: offset - lastLength });
        const result = compressPiece(slot, length, offset / GRAIN_BYTES, input.level, input.signal);
        result.catch(() => {});
        inFlight.push({ slot, result });
        offset += length;
        lastLength = length;
        input.onBytes?.(offset);
        if (inFlight.length >= GRAIN_THREADS) await flush();
      }
      while (inFlight.length) await flush();
    } finally {
      for (const { slot, result } of inFlight.splice(0))
        await result.then(
          () => giveSlot(slot),
          () => giveSlot(slot),
        );
    }
    await writeMetadata(write, () => sector, table, capacitySectors, descriptorSectors);
    await file.sync();
    return { size: sector * SECTOR, sha256: hash.digest('hex') };
  } finally {
    await file.close();
  }
}

/** Grain tables, grain directory, footer and end-of-stream marker after the grains. */
async function writeMetadata(
  write: (bytes: Uint8Array) => Promise<void>,
  at: () => number,
  table: Uint32Array,
  capacitySectors: number,
  descriptorSectors: number,
): Promise<void> {
  const tables = Math.ceil(table.length / GTES_PER_GT);
  const directory = new Uint32Array(tables);
  for (let t = 0; t < tables; t++) {
    const entries = new Uint32Array(GTES_PER_GT);
    entries.set(table.subarray(t * GTES_PER_GT, (t + 1) * GTES_PER_GT));
    const body = entrySectors(entries);
    await write(metadataMarker(body.length / SECTOR, MARKER_GT));
    directory[t] = at();
    await write(body);
  }
  const gd = entrySectors(directory);
  await write(metadataMarker(gd.length / SECTOR, MARKER_GD));
  const gdOffset = at();
  await write(gd);
  await write(metadataMarker(1, MARKER_FOOTER));
  await write(sparseHeader({ capacitySectors, descriptorSectors, gdOffset }));
  await write(metadataMarker(0, 0));
}
