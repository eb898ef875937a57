// The per-dataset, per-model cache of embeddings and other per-image tensors, keyed by the SHA-256
// of each image's content: renaming or moving a file keeps its vectors, editing it does not.
//
// Layout: <cacheDir>/models/<modelId>/{meta.json, vectors.bin} and the lock <cacheDir>/models/<modelId>.lock.
// vectors.bin is an append-only log of self-checking records (see recordFormat.ts). Opening the
// store verifies every record and cuts the file back to the last good one, so a cache torn by a
// crash or power cut is repaired and reported, never silently used. Only an index (hash + kind ->
// file offset and shape) lives in memory; 100,000 x 1280 floats would be 512 MB.
import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { isSafeModelId, MODEL_ID_RULE } from '../model/modelId';
import { acquireFileLock, type HeldLock } from '../util/fileLock';
import { takeTurn, type ReleaseTurn } from '../util/turnQueue';
import { CacheLockedError } from './cacheLockedError';
import { checkCacheMeta, setFolderAside, writeCacheMeta } from './cacheMeta';
import { fixFloat32ByteOrderInPlace } from './float32Bytes';
import { CRC_BYTES, encodeRecords, FIXED_HEADER_BYTES, type VectorRecord } from './recordFormat';
import { scanRecordLog } from './recordLogScanner';

/** How long an open waits for another user of the same cache in this process (a review refresh and a job take turns). */
const IN_PROCESS_WAIT_MS = 30_000;

export type { VectorRecord } from './recordFormat';

export const VECTOR_LOG_FILE = 'vectors.bin';

/** <cacheDir>/models: one folder per model the root was embedded with. */
export const modelsCacheFolder = (cacheDir: string): string => join(cacheDir, 'models');

/** <cacheDir>/models/<modelId>: the model's store (vectors.bin, meta.json). */
export const modelCacheFolder = (cacheDir: string, modelId: string): string => join(modelsCacheFolder(cacheDir), modelId);

export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}

/** What opening the store had to cut off the end of a damaged log. */
export interface StoreRepair {
  droppedBytes: number;
  keptRecords: number;
  /** Which record was bad and why. */
  reason: string;
}

interface IndexEntry {
  payloadOffset: number;
  shape: number[];
  elementCount: number;
}

export class EmbeddingStore {
  private readonly index = new Map<string, IndexEntry>();
  private endOffset = 0;
  private repairReport: StoreRepair | undefined;
  private closed = false;
  /** Appends, flushes and close run one after another, in call order. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    /** `<cacheDir>/models/<modelId>`. */
    readonly directory: string,
    readonly modelId: string,
    private readonly handle: FileHandle,
    private readonly lock: HeldLock,
    private readonly releaseTurn: ReleaseTurn,
    /** Where an incompatible older cache (other format or model) was moved; undefined when none was. */
    readonly setAside: string | undefined,
  ) {}

  /**
   * Opens (creating when needed) the cache for `modelId` under `cacheDir`, taking the exclusive
   * lock. Throws CacheLockedError when another live process holds it. Within this process, an open
   * waits up to `waitInProcessMs` for the one before it to close (a review refresh and a job take
   * turns) before it is refused the same way.
   */
  static async open(cacheDir: string, modelId: string, options: { waitInProcessMs?: number } = {}): Promise<EmbeddingStore> {
    if (!isSafeModelId(modelId)) throw new Error(`Model id "${modelId}" cannot name a cache folder: use ${MODEL_ID_RULE}`);
    await mkdir(modelsCacheFolder(cacheDir), { recursive: true });
    const directory = modelCacheFolder(cacheDir, modelId);
    const lockPath = `${directory}.lock`;
    const releaseTurn = await takeTurn(resolve(lockPath), options.waitInProcessMs ?? IN_PROCESS_WAIT_MS);
    if (!releaseTurn) throw new CacheLockedError(lockPath, { pid: process.pid, hostname: hostname(), acquiredAt: 'earlier', token: '' });
    // Refuses at once (no waiting) when another live process holds it.
    let lock: HeldLock;
    try {
      lock = await acquireFileLock(lockPath, { lockedError: (path, holder) => new CacheLockedError(path, holder) });
    } catch (error) {
      releaseTurn();
      throw error;
    }
    let handle: FileHandle | undefined;
    try {
      const check = await checkCacheMeta(directory, modelId, VECTOR_LOG_FILE);
      const setAside = check.status === 'mismatch' ? await setFolderAside(directory) : undefined;
      if (check.status !== 'ok') {
        await mkdir(directory, { recursive: true });
        await writeCacheMeta(directory, modelId);
      }
      handle = await open(join(directory, VECTOR_LOG_FILE), constants.O_RDWR | constants.O_CREAT, 0o666);
      const store = new EmbeddingStore(directory, modelId, handle, lock, releaseTurn, setAside);
      await store.loadIndex();
      return store;
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await lock.release();
      releaseTurn();
      throw error;
    }
  }

  /** Set when the log was damaged and cut back on open; undefined when it verified completely. */
  get repairs(): StoreRepair | undefined {
    return this.repairReport;
  }

  /** Number of distinct (hash, kind) entries. */
  get size(): number {
    return this.index.size;
  }

  has(hash: string, kind: string): boolean {
    return this.index.has(entryKey(hash, kind));
  }

  /** Every cached (hash, kind) pair, in no particular order. */
  *keys(): IterableIterator<{ hash: string; kind: string }> {
    for (const key of this.index.keys()) {
      const slash = key.indexOf('/');
      yield { hash: key.slice(0, slash), kind: key.slice(slash + 1) };
    }
  }

  /** Shape of the tensor stored for (hash, kind), without reading it. */
  shapeOf(hash: string, kind: string): number[] | undefined {
    const entry = this.index.get(entryKey(hash, kind));
    return entry ? [...entry.shape] : undefined;
  }

  /** The latest tensor stored for (hash, kind), read from disk. */
  async get(hash: string, kind: string): Promise<StoredTensor | undefined> {
    this.assertOpen();
    const entry = this.index.get(entryKey(hash, kind));
    if (!entry) return undefined;
    const data = new Float32Array(entry.elementCount);
    await this.readPayload(entry, data);
    return { shape: [...entry.shape], data };
  }

  /**
   * Rows for `hashes` in order, as one [hashes.length, D] row-major matrix. Every hash must be cached
   * for `kind` with the same element count D; the error names how many are missing.
   */
  async readMatrix(hashes: readonly string[], kind: string): Promise<Float32Array> {
    this.assertOpen();
    const entries: IndexEntry[] = [];
    const missing: string[] = [];
    for (const hash of hashes) {
      const entry = this.index.get(entryKey(hash, kind));
      if (entry) entries.push(entry);
      else missing.push(hash);
    }
    if (missing.length > 0) {
      throw new Error(`${missing.length} of ${hashes.length} requested "${kind}" vectors are not cached (first: ${missing[0]})`);
    }
    if (entries.length === 0) return new Float32Array(0);
    const width = entries[0].elementCount;
    const odd = entries.find((entry) => entry.elementCount !== width);
    if (odd) throw new Error(`"${kind}" vectors differ in size: [${entries[0].shape.join(', ')}] and [${odd.shape.join(', ')}]`);
    const matrix = new Float32Array(entries.length * width);
    for (let row = 0; row < entries.length; row++) {
      await this.readPayload(entries[row], matrix.subarray(row * width, (row + 1) * width));
    }
    return matrix;
  }

  /** Appends `records` in one write; a later record for the same (hash, kind) supersedes earlier ones. Not durable until flush(). */
  append(records: readonly VectorRecord[]): Promise<void> {
    this.assertOpen();
    const bytes = encodeRecords(records);
    return this.enqueue(async () => {
      const start = this.endOffset;
      try {
        await writeFully(this.handle, bytes, start);
      } catch (error) {
        // Leave no partial record behind for the next append to build on.
        await this.handle.truncate(start).catch(() => undefined);
        throw error;
      }
      let offset = start;
      for (const record of records) {
        const payloadOffset = offset + FIXED_HEADER_BYTES + record.kind.length + 4 * record.shape.length;
        this.index.set(entryKey(record.hash, record.kind), {
          payloadOffset,
          shape: [...record.shape],
          elementCount: record.data.length,
        });
        offset = payloadOffset + 4 * record.data.length + CRC_BYTES;
      }
      this.endOffset = offset;
    });
  }

  /** Makes everything appended so far durable (fsync). */
  flush(): Promise<void> {
    this.assertOpen();
    return this.enqueue(() => this.handle.sync());
  }

  /** Flushes, closes the log and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.enqueue(() => this.handle.sync());
    } finally {
      await this.handle.close();
      await this.lock.release();
      this.releaseTurn();
    }
  }

  private async loadIndex(): Promise<void> {
    const fileSize = (await this.handle.stat()).size;
    const scan = await scanRecordLog(this.handle, fileSize, (offset, header) => {
      this.index.set(entryKey(header.hash, header.kind), {
        payloadOffset: offset + header.payloadStart,
        shape: header.shape,
        elementCount: header.elementCount,
      });
    });
    if (scan.problem) {
      await this.handle.truncate(scan.goodEnd);
      await this.handle.sync();
      this.repairReport = { droppedBytes: fileSize - scan.goodEnd, keptRecords: scan.recordCount, reason: scan.problem };
    }
    this.endOffset = scan.goodEnd;
  }

  private async readPayload(entry: IndexEntry, target: Float32Array): Promise<void> {
    const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await this.handle.read(bytes, done, bytes.length - done, entry.payloadOffset + done);
      if (bytesRead === 0) throw new Error(`${join(this.directory, VECTOR_LOG_FILE)} ended inside a record; reopen the cache to repair it`);
      done += bytesRead;
    }
    fixFloat32ByteOrderInPlace(target);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The embedding cache ${this.directory} is closed`);
  }
}

function entryKey(hash: string, kind: string): string {
  return `${hash}/${kind}`;
}

async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const result = await handle.write(bytes, written, bytes.length - written, position + written);
    written += result.bytesWritten;
  }
}
