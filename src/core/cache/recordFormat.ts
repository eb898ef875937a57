// On-disk layout of one record in the append-only vector log (all integers little-endian):
//
//   offset  size        field
//   0       4           magic "DCVR"
//   4       2           format version (RECORD_FORMAT_VERSION)
//   6       1           kind length k (1..MAX_KIND_LENGTH), ASCII
//   7       1           rank r (1..MAX_RANK)
//   8       32          SHA-256 of the source file's content
//   40      k           kind, e.g. "embedding" or "patterns"
//   40+k    4*r         shape, uint32 per dimension
//   ...     4*prod      payload, float32
//   end-4   4           CRC-32 over every byte before it
//
// The header is self-describing, so a reader can tell a record that was cut short (fewer bytes than
// the header promises) from one that is damaged (bad magic, bad limits, CRC mismatch).
import { crc32 } from './crc32';
import { float32ToLittleEndian } from './float32Bytes';
import { isContentHash } from '../util/contentHash';

export const RECORD_MAGIC = Buffer.from('DCVR', 'ascii');
export const RECORD_FORMAT_VERSION = 1;
export const FIXED_HEADER_BYTES = 40;
export const CRC_BYTES = 4;
export const MAX_KIND_LENGTH = 32;
export const MAX_RANK = 8;
/** Upper bound on floats per record (256 MB); guards against allocating wildly from a damaged header. */
export const MAX_ELEMENTS = 1 << 26;

/** One cached tensor for one file content. */
export interface VectorRecord {
  /** SHA-256 of the source file's content, lower-case hex. */
  hash: string;
  /** What the tensor is: "embedding" for the pooled vector, "patterns" for local features, ... */
  kind: string;
  shape: number[];
  data: Float32Array;
}

export interface RecordHeader {
  hash: string;
  kind: string;
  shape: number[];
  elementCount: number;
  /** Bytes from the start of the record to the first payload byte. */
  payloadStart: number;
  /** Bytes of the whole record, CRC included. */
  totalLength: number;
}

export type HeaderParse =
  | { status: 'ok'; header: RecordHeader }
  /** The header cannot be decoded from fewer than `bytes` bytes. */
  | { status: 'need'; bytes: number }
  | { status: 'corrupt'; reason: string };

const KIND_PATTERN = /^[a-z][a-z0-9_-]*$/;

export function isValidKind(kind: string): boolean {
  return kind.length >= 1 && kind.length <= MAX_KIND_LENGTH && KIND_PATTERN.test(kind);
}

/** Throws a precise error when `record` cannot be stored. */
export function validateRecord(record: VectorRecord): void {
  if (!isContentHash(record.hash)) throw new Error(`Record hash must be 64 lower-case hex digits, got "${record.hash}"`);
  if (!isValidKind(record.kind)) {
    throw new Error(`Record kind must match ${KIND_PATTERN} and have at most ${MAX_KIND_LENGTH} characters, got "${record.kind}"`);
  }
  const { shape } = record;
  if (shape.length < 1 || shape.length > MAX_RANK || !shape.every((d) => Number.isInteger(d) && d >= 1 && d <= 0xffffffff)) {
    throw new Error(`Record shape must have 1..${MAX_RANK} positive integer dimensions, got [${shape.join(', ')}]`);
  }
  const elements = elementCountOf(shape);
  if (elements > MAX_ELEMENTS) throw new Error(`Record of shape [${shape.join(', ')}] exceeds ${MAX_ELEMENTS} elements`);
  if (record.data.length !== elements) {
    throw new Error(`Record data has ${record.data.length} values but shape [${shape.join(', ')}] needs ${elements}`);
  }
}

export function elementCountOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

export function encodedRecordLength(record: VectorRecord): number {
  return FIXED_HEADER_BYTES + record.kind.length + 4 * record.shape.length + 4 * record.data.length + CRC_BYTES;
}

/** Encodes a validated record into `target` at `offset`; returns the offset just past it. */
export function encodeRecordInto(record: VectorRecord, target: Buffer, offset: number): number {
  const start = offset;
  RECORD_MAGIC.copy(target, offset);
  target.writeUInt16LE(RECORD_FORMAT_VERSION, offset + 4);
  target.writeUInt8(record.kind.length, offset + 6);
  target.writeUInt8(record.shape.length, offset + 7);
  target.write(record.hash, offset + 8, 32, 'hex');
  offset += FIXED_HEADER_BYTES;
  offset += target.write(record.kind, offset, 'ascii');
  for (const dim of record.shape) offset = target.writeUInt32LE(dim, offset);
  target.set(float32ToLittleEndian(record.data), offset);
  offset += record.data.byteLength;
  return target.writeUInt32LE(crc32(target.subarray(start, offset)), offset);
}

/** Encodes several records into one buffer so a batch reaches the file in a single write. */
export function encodeRecords(records: readonly VectorRecord[]): Buffer {
  for (const record of records) validateRecord(record);
  const buffer = Buffer.allocUnsafe(records.reduce((sum, record) => sum + encodedRecordLength(record), 0));
  let offset = 0;
  for (const record of records) offset = encodeRecordInto(record, buffer, offset);
  return buffer;
}

/** Decodes the header at the start of `bytes`, which may hold fewer bytes than the whole record. */
export function parseRecordHeader(bytes: Uint8Array): HeaderParse {
  if (bytes.length < FIXED_HEADER_BYTES) return { status: 'need', bytes: FIXED_HEADER_BYTES };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buffer.subarray(0, 4).equals(RECORD_MAGIC)) return { status: 'corrupt', reason: 'bad magic' };
  const version = buffer.readUInt16LE(4);
  if (version !== RECORD_FORMAT_VERSION) return { status: 'corrupt', reason: `unknown record version ${version}` };
  const kindLength = buffer.readUInt8(6);
  const rank = buffer.readUInt8(7);
  if (kindLength < 1 || kindLength > MAX_KIND_LENGTH) return { status: 'corrupt', reason: `bad kind length ${kindLength}` };
  if (rank < 1 || rank > MAX_RANK) return { status: 'corrupt', reason: `bad rank ${rank}` };
  const headerEnd = FIXED_HEADER_BYTES + kindLength + 4 * rank;
  if (bytes.length < headerEnd) return { status: 'need', bytes: headerEnd };
  const kind = buffer.toString('latin1', FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + kindLength);
  if (!isValidKind(kind)) return { status: 'corrupt', reason: 'bad kind' };
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(buffer.readUInt32LE(FIXED_HEADER_BYTES + kindLength + 4 * i));
  const elementCount = elementCountOf(shape);
  if (shape.includes(0) || elementCount > MAX_ELEMENTS) return { status: 'corrupt', reason: `bad shape [${shape.join(', ')}]` };
  return {
    status: 'ok',
    header: {
      hash: buffer.toString('hex', 8, FIXED_HEADER_BYTES),
      kind,
      shape,
      elementCount,
      payloadStart: headerEnd,
      totalLength: headerEnd + 4 * elementCount + CRC_BYTES,
    },
  };
}

/** True when the CRC stored at the end of `recordBytes` (one whole record) matches its content. */
export function recordChecksumMatches(recordBytes: Uint8Array): boolean {
  const bodyEnd = recordBytes.length - CRC_BYTES;
  const stored = Buffer.from(recordBytes.buffer, recordBytes.byteOffset, recordBytes.byteLength).readUInt32LE(bodyEnd);
  return crc32(recordBytes.subarray(0, bodyEnd)) === stored;
}
