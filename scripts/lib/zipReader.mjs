// A minimal reader for the zip files vsce writes (a VSIX is a zip): lists the entries and reads
// one back. No zip64 and no encryption, which a VSIX never uses; anything else is refused loudly.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
const S_IFMT = 0o170000;

/**
 * @typedef {{ name: string, size: number, compressedSize: number, method: number, offset: number, unixMode: number }} ZipEntry
 */

export class ZipReader {
  /** @param {string} path */
  constructor(path) {
    this.path = path;
    this.bytes = readFileSync(path);
    /** @type {ZipEntry[]} */
    this.entries = readCentralDirectory(this.bytes, path);
  }

  /** @param {string} name */
  has(name) {
    return this.entries.some((entry) => entry.name === name);
  }

  /** The uncompressed content of one entry. @param {string} name @returns {Buffer} */
  read(name) {
    const entry = this.entries.find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`${this.path}: no entry ${name}`);
    const header = entry.offset;
    if (this.bytes.readUInt32LE(header) !== LOCAL_FILE_HEADER) throw new Error(`${this.path}: bad local header for ${name}`);
    const dataStart = header + 30 + this.bytes.readUInt16LE(header + 26) + this.bytes.readUInt16LE(header + 28);
    const data = this.bytes.subarray(dataStart, dataStart + entry.compressedSize);
    if (entry.method === STORED) return Buffer.from(data);
    if (entry.method === DEFLATED) return inflateRawSync(data);
    throw new Error(`${this.path}: ${name} uses compression method ${entry.method}`);
  }
}

/** @param {Buffer} bytes @param {string} path @returns {ZipEntry[]} */
function readCentralDirectory(bytes, path) {
  // The end record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error(`${path} is not a zip file (no end of central directory)`);
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = [];
  for (let index = 0; index < count; index++) {
    if (bytes.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`${path}: corrupt central directory`);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    entries.push({
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      offset: bytes.readUInt32LE(at + 42),
      // Zip tools that record Unix permissions keep st_mode in the upper half of the external attributes.
      unixMode: (bytes.readUInt32LE(at + 38) >>> 16) & S_IFMT,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
