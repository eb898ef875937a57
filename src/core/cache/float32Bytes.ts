// Every file this library writes stores float32 little-endian, whatever the host's byte order.
import { endianness } from 'node:os';

const hostIsLittleEndian = endianness() === 'LE';

/** The little-endian bytes of `values` (a view, not a copy, on little-endian hosts). */
export function float32ToLittleEndian(values: Float32Array): Uint8Array {
  if (hostIsLittleEndian) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return bytes;
}

/** Decodes little-endian float32 bytes into a new, aligned Float32Array. */
export function float32FromLittleEndian(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) throw new Error(`float32 data must be a multiple of 4 bytes, got ${bytes.length}`);
  const values = new Float32Array(bytes.length / 4);
  if (hostIsLittleEndian) {
    new Uint8Array(values.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  }
  return values;
}

/** Converts float32 values read into `values` straight from little-endian bytes, in place, on big-endian hosts. */
export function fixFloat32ByteOrderInPlace(values: Float32Array): void {
  if (hostIsLittleEndian) return;
  const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
}
