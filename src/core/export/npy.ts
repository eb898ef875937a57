// NPY is numpy's own array file format, so `numpy.load("embeddings.npy")` works with nothing else
// installed. Format reference: numpy.lib.format (version 1.0: magic, version, uint16 header length,
// a Python dict literal padded so the data starts on a 64-byte boundary).
import { open, rename, rm, readFile, type FileHandle } from 'node:fs/promises';
import { syncFolder } from '../util/atomicWrite';
import { dirname } from 'node:path';
import { float32FromLittleEndian, float32ToLittleEndian } from '../cache/float32Bytes';

const MAGIC = Buffer.from([0x93, ...Buffer.from('NUMPY', 'latin1')]);
const HEADER_ALIGNMENT = 64;
/** Bytes before the dict in a version 1.0 file: magic, major, minor, uint16 length. */
const V1_PREAMBLE_BYTES = MAGIC.length + 2 + 2;

export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

/** The complete version 1.0 header (preamble + padded dict) for a C-order little-endian float32 array. */
export function npyFloat32Header(shape: readonly number[]): Buffer {
  if (!shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) throw new Error(`Invalid NPY shape [${shape.join(', ')}]`);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  const unpadded = V1_PREAMBLE_BYTES + dict.length + 1;
  const padding = (HEADER_ALIGNMENT - (unpadded % HEADER_ALIGNMENT)) % HEADER_ALIGNMENT;
  const headerText = dict + ' '.repeat(padding) + '\n';
  if (headerText.length > 0xffff) throw new Error('NPY header too long for format version 1.0');
  const header = Buffer.alloc(V1_PREAMBLE_BYTES + headerText.length);
  MAGIC.copy(header, 0);
  header[6] = 1; // major version
  header[7] = 0; // minor version
  header.writeUInt16LE(headerText.length, 8);
  header.write(headerText, V1_PREAMBLE_BYTES, 'latin1');
  return header;
}

/**
 * Streams a [rows, columns] float32 matrix to an NPY file, a batch of rows at a time, so the whole
 * matrix never has to be in memory. The data goes to `<path>.partial` and is renamed into place only
 * once every row has been written: an interrupted export never leaves a plausible-looking file.
 */
export class NpyFloat32Writer {
  private rowsWritten = 0;
  private position: number;

  private constructor(
    readonly path: string,
    readonly rows: number,
    readonly columns: number,
    private readonly partialPath: string,
    private readonly handle: FileHandle,
    headerLength: number,
  ) {
    this.position = headerLength;
  }

  static async create(path: string, rows: number, columns: number): Promise<NpyFloat32Writer> {
    const header = npyFloat32Header([rows, columns]);
    const partialPath = `${path}.partial`;
    const handle = await open(partialPath, 'w');
    try {
      await handle.write(header, 0, header.length, 0);
    } catch (error) {
      await handle.close();
      await rm(partialPath, { force: true });
      throw error;
    }
    return new NpyFloat32Writer(path, rows, columns, partialPath, handle, header.length);
  }

  /** Appends whole rows (row-major; the length must be a multiple of `columns`). */
  async writeRows(values: Float32Array): Promise<void> {
    if (values.length % this.columns !== 0) {
      throw new Error(`${values.length} values are not whole rows of ${this.columns} columns`);
    }
    const rowCount = values.length / this.columns;
    if (this.rowsWritten + rowCount > this.rows) {
      throw new Error(`Writing ${rowCount} more rows would exceed the ${this.rows} declared in the header`);
    }
    const bytes = float32ToLittleEndian(values);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, this.position + done);
      done += bytesWritten;
    }
    this.position += bytes.length;
    this.rowsWritten += rowCount;
  }

  /** Checks every declared row was written, makes the file durable and moves it into place. */
  async finish(): Promise<void> {
    if (this.rowsWritten !== this.rows) {
      await this.abort();
      throw new Error(`NPY export wrote ${this.rowsWritten} of ${this.rows} rows`);
    }
    await this.handle.sync();
    await this.handle.close();
    await rename(this.partialPath, this.path);
    await syncFolder(dirname(this.path));
  }

  /** Discards the partial file. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.partialPath, { force: true });
  }
}

/** Reads a little-endian float32, C-order NPY file (versions 1.0 to 3.0), as written by NpyFloat32Writer or numpy. */
export async function readNpy(path: string): Promise<NpyArray> {
  return parseNpyFloat32(await readFile(path));
}

export function parseNpyFloat32(bytes: Buffer): NpyArray {
  if (bytes.length < V1_PREAMBLE_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('Not an NPY file');
  const major = bytes[6];
  const lengthBytes = major === 1 ? 2 : 4;
  if (major < 1 || major > 3) throw new Error(`Unsupported NPY version ${major}.${bytes[7]}`);
  const headerLength = lengthBytes === 2 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = 8 + lengthBytes + headerLength;
  const header = bytes.toString('latin1', 8 + lengthBytes, dataStart);
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  if (descr !== '<f4') throw new Error(`Only little-endian float32 ('<f4') is supported, got ${String(descr)}`);
  if (!/'fortran_order':\s*False/.test(header)) throw new Error('Fortran-order arrays are not supported');
  const tuple = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (tuple === undefined) throw new Error('NPY header has no shape');
  const shape = tuple
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(Number);
  if (!shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) throw new Error(`Bad NPY shape (${tuple})`);
  const expectedBytes = 4 * shape.reduce((product, dim) => product * dim, 1);
  if (bytes.length - dataStart !== expectedBytes) {
    throw new Error(`NPY data is ${bytes.length - dataStart} bytes, shape (${tuple}) needs ${expectedBytes}`);
  }
  return { shape, data: float32FromLittleEndian(bytes.subarray(dataStart)) };
}
