// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) guards every cache record against torn writes and
// bit rot. zlib.crc32 is about fifteen times faster but only exists from Node 20.15 on; older
// runtimes fall back to the table-driven version below, which gives identical results.
import * as zlib from 'node:zlib';

const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const nativeCrc32: ((bytes: Uint8Array, previous: number) => number) | undefined =
  typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined;

/** CRC-32 of `bytes`; pass the previous result as `previous` to continue over several pieces. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  return nativeCrc32 ? nativeCrc32(bytes, previous) : portableCrc32(bytes, previous);
}

/** The pure JavaScript implementation, used where zlib.crc32 is missing. */
export function portableCrc32(bytes: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}
