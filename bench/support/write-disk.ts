/**
 * @module bench/support/write-disk: `tsx bench/support/write-disk.ts <file> <bytes> <seed>` writes a mixed
 * disk (mixed-disk.ts `writeMixedDisk`), then measures single-thread zstd and SHA-256 on up to 64 of its
 * 4 MiB chunks (probes.ts `throughput`), and prints `{ sha256, throughput }` as JSON. The benchmark runs it
 * as a child process so that neither leaves memory behind in its own RSS, which it measures.
 */
import { MiB, readChunks, writeMixedDisk } from './mixed-disk.js';
import { throughput } from './probes.js';

const [file = '', bytes = '0', seed = '1'] = process.argv.slice(2);
const sha256 = await writeMixedDisk(file, Number(bytes), Number(seed));
console.log(JSON.stringify({ sha256, throughput: throughput(readChunks(file, Number(bytes), 4 * MiB, 64)) }));
