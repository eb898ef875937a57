// A dataset root opened for the methods, in the one order every job that reads cached embeddings
// needs: resolve the model, scan the root, hash its images (reusing the file-state index), open the
// model's embedding store. Nothing is embedded here: the embed job fills the store, and images
// without a cached embedding are named so the caller can say "run embed first".
import { EmbeddingStore } from '../cache/embeddingStore';
import { scanDataset } from '../dataset/scan';
import type { DatasetScan } from '../dataset/types';
import type { ModelSource } from '../embed/types';
import type { ModelDescriptor } from '../model/descriptor';
import { resolveModel } from '../model/registry';
import { throwIfAborted } from '../util/concurrency';
import { hashImages, type HashOutcome } from './contentHashes';

/** The store's record kind of an image's pooled embedding: the embed job writes it, the methods read it. */
export const EMBEDDING_KIND = 'embedding';

export interface PoolSource {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
  model: ModelSource;
}

export interface PoolProgress {
  phase: 'scan' | 'hash';
  done: number;
  total: number;
}

/** An opened root; close() releases the embedding store. */
export interface RootPool {
  descriptor: ModelDescriptor;
  scan: DatasetScan;
  hashes: HashOutcome;
  store: EmbeddingStore;
  close(): Promise<void>;
}

export interface EmbeddedItem {
  /** Relative to the root, forward slashes. */
  path: string;
  hash: string;
  /** The given label, or null when unlabelled. */
  label: string | null;
}

export async function openRootPool(source: PoolSource, options: { signal?: AbortSignal; onProgress?: (progress: PoolProgress) => void } = {}): Promise<RootPool> {
  const { signal, onProgress } = options;
  const { descriptor } = await resolveModel(source.model.setting, { bundledDir: source.model.bundledDir, storageDir: source.model.storageDir, mirror: source.model.mirror, signal });
  onProgress?.({ phase: 'scan', done: 0, total: 0 });
  const scan = await scanDataset(source.root, { unlabeledFolderName: source.unlabeledFolderName, signal });
  const hashes = await hashImages(scan.images, source.cacheDir, { signal, onProgress: (done, total) => onProgress?.({ phase: 'hash', done, total }) });
  throwIfAborted(signal);
  const store = await EmbeddingStore.open(source.cacheDir, descriptor.id);
  return { descriptor, scan, hashes, store, close: () => store.close() };
}

/** The images in path order, split into those with a cached embedding (and their hash) and the paths of those without. */
export function embeddedImages(pool: RootPool): { items: EmbeddedItem[]; notEmbedded: string[] } {
  const items: EmbeddedItem[] = [];
  const notEmbedded: string[] = [];
  for (const image of [...pool.scan.images].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))) {
    const hash = pool.hashes.byPath.get(image.relPath);
    if (hash === undefined || !pool.store.has(hash, EMBEDDING_KIND)) notEmbedded.push(image.relPath);
    else items.push({ path: image.relPath, hash, label: image.label });
  }
  return { items, notEmbedded };
}

/** A note for results when some images were left out. */
export function notEmbeddedNote(pool: { notEmbedded: readonly string[] }): string[] {
  if (pool.notEmbedded.length === 0) return [];
  return [
    `${pool.notEmbedded.length} image(s) have no cached embedding and were left out (not embedded yet, or they do not decode); ` +
      `run \`curator embed\` (Curator: Compute Embeddings) to include them. First: ${pool.notEmbedded[0]}`,
  ];
}

/** Thrown when not one image of the root has an embedding for the model. */
export function nothingEmbeddedError(root: string, modelId: string): Error {
  return new Error(`No image of ${root} has a cached embedding for model ${modelId}: run \`curator embed\` (Curator: Compute Embeddings) first.`);
}
