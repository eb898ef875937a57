// "Export Embeddings for Python": everything a notebook needs to pick up where the extension left
// off, in formats that need nothing beyond numpy or pandas:
//   embeddings.npy  float32 [N, D], one row per exported file
//   index.csv       row,path,label: which file (and label, empty when unlabelled) each row is
//   meta.json       model id, dimension, count, creation time
// Files without a cached embedding are left out and reported; a zero row would look like data.
import { mkdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { EmbeddingStore } from '../cache/embeddingStore';
import { writeFileAtomic } from '../util/atomicWrite';
import { csvRow } from './csv';
import { NpyFloat32Writer } from './npy';

export interface ExportItem {
  /** Path relative to the dataset root. */
  relPath: string;
  /** Class label, or null for an unlabelled image. */
  label: string | null;
  /** SHA-256 of the file's content: the cache key. */
  hash: string;
}

export interface ExportOptions {
  /** Which cached tensor to export; "embedding" unless told otherwise. */
  kind?: string;
  /** The model the caller means to export; refused when the store belongs to another one. */
  modelId?: string;
  /** Rows read from the cache and written per step; bounds memory use. */
  batchRows?: number;
  signal?: AbortSignal;
}

export interface ExportResult {
  /** Rows written (N). */
  rows: number;
  /** Values per row (D). */
  dim: number;
  /** relPaths left out because the cache holds no vector for them, in input order. */
  missing: string[];
  /** The files written: embeddings.npy, index.csv, meta.json. */
  files: string[];
}

export const EMBEDDINGS_FILE = 'embeddings.npy';
export const INDEX_FILE = 'index.csv';
export const META_FILE = 'meta.json';

/** Writes embeddings.npy, index.csv and meta.json for `items` (in their order) into `outDir`. */
export async function exportEmbeddings(
  items: readonly ExportItem[],
  store: EmbeddingStore,
  outDir: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const kind = options.kind ?? 'embedding';
  if (options.modelId !== undefined && options.modelId !== store.modelId) {
    throw new Error(`Cannot export model ${options.modelId} from the cache of model ${store.modelId}`);
  }
  const batchRows = options.batchRows ?? 1024;
  const present = items.filter((item) => store.has(item.hash, kind));
  const missing = items.filter((item) => !store.has(item.hash, kind));
  if (present.length === 0) {
    throw new Error(`None of the ${items.length} files has a cached "${kind}" for model ${store.modelId}; compute embeddings first`);
  }
  const dim = elementCount(store.shapeOf(present[0].hash, kind) ?? []);

  await mkdir(outDir, { recursive: true });
  const embeddingsPath = join(outDir, EMBEDDINGS_FILE);
  const indexPath = join(outDir, INDEX_FILE);
  const metaPath = join(outDir, META_FILE);

  const writer = await NpyFloat32Writer.create(embeddingsPath, present.length, dim);
  try {
    for (let start = 0; start < present.length; start += batchRows) {
      options.signal?.throwIfAborted();
      const hashes = present.slice(start, start + batchRows).map((item) => item.hash);
      await writer.writeRows(await store.readMatrix(hashes, kind));
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }

  const indexLines = [csvRow(['row', 'path', 'label'])];
  present.forEach((item, row) => indexLines.push(csvRow([String(row), toForwardSlashes(item.relPath), item.label ?? ''])));
  await writeFileAtomic(indexPath, indexLines.join(''));

  const meta = {
    modelId: store.modelId,
    kind,
    dim,
    count: present.length,
    missing: missing.length,
    created: new Date().toISOString(),
    files: { embeddings: EMBEDDINGS_FILE, index: INDEX_FILE },
  };
  await writeFileAtomic(metaPath, JSON.stringify(meta, null, 2) + '\n');

  return {
    rows: present.length,
    dim,
    missing: missing.map((item) => item.relPath),
    files: [embeddingsPath, indexPath, metaPath],
  };
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, d) => product * d, 1);
}

/** Paths in the index are portable: forward slashes whatever the platform. */
function toForwardSlashes(relPath: string): string {
  return sep === '/' ? relPath : relPath.split(sep).join('/');
}
