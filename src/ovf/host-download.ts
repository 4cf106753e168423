/**
 * @module ovf/host-download: one disk of a host export: the lease's device URL (already a streamOptimized VMDK,
 * as ESXi serves it) streamed to a file of the partial package through the one transfer client
 * (vsphere/http-transfer.ts), its SHA-256 and size computed as it is written. Memory stays bounded: the file
 * stream's backpressure paces the download.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { VSphereClient } from '../vsphere/client.js';
import { openUrlRead } from '../vsphere/http-transfer.js';
import type { LeaseDevice } from '../vsphere/nfc-lease.js';
import { OvfError } from './errors.js';

/**
 * Downloads one device URL to `file` (created, never overwritten).
 * @param onBytes called with the bytes written so far for this disk.
 * @returns the file's size in bytes and hex SHA-256.
 * @throws VSphereError (HTTP failure); OvfError `transfer_broken` when the host drops the connection mid-disk
 *   (e.g. the lease ended); fs errors (ENOSPC); the signal's reason when aborted.
 */
export async function downloadDisk(
  client: VSphereClient,
  device: LeaseDevice,
  file: { path: string; name: string },
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<{ size: number; sha256: string }> {
  const { stream } = await openUrlRead(client, device.url, file.name, signal);
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      onBytes(size);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, tap, createWriteStream(file.path, { flags: 'wx' }), { signal });
  } catch (err) {
    signal.throwIfAborted();
    const code = (err as NodeJS.ErrnoException).code;
    if (
      code === 'ECONNRESET' ||
      code === 'ERR_STREAM_PREMATURE_CLOSE' ||
      (err as Error).message === 'aborted'
    )
      throw new OvfError('transfer_broken', 'ovf.error.transfer_broken', { disk: file.name, bytes: size });
    throw err;
  }
  return { size, sha256: hash.digest('hex') };
}
