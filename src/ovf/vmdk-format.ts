/**
 * @module ovf/vmdk-format: the pieces of a `streamOptimized` sparse extent (VMware "Virtual Disk Format 1.1",
 * section "Stream-Optimized Compressed Sparse Extents"): the 512-byte SparseExtentHeader (as header and as
 * footer), the embedded descriptor, grain markers and metadata markers. Pure: bytes only.
 */

export const SECTOR = 512;
/** Sectors per grain (128: 64 KiB grains, as VMware and qemu write them). */
export const GRAIN_SECTORS = 128;
export const GRAIN_BYTES = GRAIN_SECTORS * SECTOR;
/** Grain table entries per grain table (each table covers 512 grains: 32 MiB). */
export const GTES_PER_GT = 512;
/** Metadata marker types. */
export const MARKER_EOS = 0;
export const MARKER_GT = 1;
export const MARKER_GD = 2;
export const MARKER_FOOTER = 3;
/** Bytes of a grain marker before the compressed data: lba (u64) and size (u32). */
export const GRAIN_MARKER_BYTES = 12;

const MAGIC = 0x564d444b; // "KDMV"
/** Valid new-line detection (bit 0), compressed grains (bit 16), markers (bit 17). */
const FLAGS = 0x1 | 0x10000 | 0x20000;
const GD_AT_END = 0xffffffffffffffffn;
const COMPRESSION_DEFLATE = 1;

/** Where the header puts things (sectors) and how big the disk is. */
export interface HeaderFields {
  capacitySectors: number;
  descriptorSectors: number;
  /** Sector of the grain directory; null in the leading header (it comes at the end of the stream). */
  gdOffset: number | null;
}

/** Sectors needed to hold `bytes`. */
export const sectorsFor = (bytes: number): number => Math.ceil(bytes / SECTOR);

/**
 * The SparseExtentHeader (512 bytes, little-endian, packed).
 * @returns the header sector; with `gdOffset` null it says "grain directory at the end" (GD_AT_END).
 */
export function sparseHeader(f: HeaderFields): Buffer {
  const b = Buffer.alloc(SECTOR);
  b.writeUInt32LE(MAGIC, 0);
  b.writeUInt32LE(3, 4);
  b.writeUInt32LE(FLAGS, 8);
  b.writeBigUInt64LE(BigInt(f.capacitySectors), 12);
  b.writeBigUInt64LE(BigInt(GRAIN_SECTORS), 20);
  b.writeBigUInt64LE(1n, 28);
  b.writeBigUInt64LE(BigInt(f.descriptorSectors), 36);
  b.writeUInt32LE(GTES_PER_GT, 44);
  b.writeBigUInt64LE(0n, 48);
  b.writeBigUInt64LE(f.gdOffset === null ? GD_AT_END : BigInt(f.gdOffset), 56);
  b.writeBigUInt64LE(BigInt(overheadSectors(f.descriptorSectors)), 64);
  b.writeUInt8(0, 72);
  b.write('\n \r\n', 73, 'latin1');
  b.writeUInt16LE(COMPRESSION_DEFLATE, 77);
  return b;
}

/** Sectors before the first grain: the header and the descriptor, rounded up to a grain. */
export const overheadSectors = (descriptorSectors: number): number =>
  Math.ceil((1 + descriptorSectors) / GRAIN_SECTORS) * GRAIN_SECTORS;

/**
 * The embedded descriptor of a monolithic streamOptimized disk, padded with zeros to whole sectors.
 * @param fileName the VMDK's own name (its one extent); cid a random 32-bit content id.
 */
export function streamDescriptor(fileName: string, capacitySectors: number, cid: number): Buffer {
  const cylinders = Math.min(65535, Math.ceil(capacitySectors / (255 * 63)));
  const text = [
    '# Disk DescriptorFile',
    'version=1',
    `CID=${cid.toString(16).padStart(8, '0')}`,
    'parentCID=ffffffff',
    'createType="streamOptimized"',
    '',
    '# Extent description',
    `RW ${capacitySectors} SPARSE "${fileName}"`,
    '',
    '# The Disk Data Base',
    '#DDB',
    '',
    'ddb.adapterType = "lsilogic"',
    `ddb.geometry.cylinders = "${cylinders}"`,
    'ddb.geometry.heads = "255"',
    'ddb.geometry.sectors = "63"',
    'ddb.virtualHWVersion = "4"',
    '',
  ].join('\n');
  const bytes = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(Math.max(1, sectorsFor(bytes.length)) * SECTOR);
  bytes.copy(out);
  return out;
}

/** A metadata marker sector: `numSectors` of metadata follow (0 for the end-of-stream marker). */
export function metadataMarker(numSectors: number, type: number): Buffer {
  const b = Buffer.alloc(SECTOR);
  b.writeBigUInt64LE(BigInt(numSectors), 0);
  b.writeUInt32LE(0, 8);
  b.writeUInt32LE(type, 12);
  return b;
}

/** Little-endian u32 entries padded with zeros to whole sectors (a grain table or the grain directory). */
export function entrySectors(entries: ArrayLike<number>): Buffer {
  const b = Buffer.alloc(Math.max(1, sectorsFor(entries.length * 4)) * SECTOR);
  for (let i = 0; i < entries.length; i++) b.writeUInt32LE(entries[i] as number, i * 4);
  return b;
}
