// Reads what every suggestion, cluster and duplicate job starts from: a root's scan, the content
// hashes and the cached embeddings. Nothing is embedded here: images without a cached embedding
// are left out and counted, so the caller can tell the user to run embed first.
import { EmbeddingStore } from '../cache/embeddingStore';
import { scanDataset } from '../dataset/scan';
import type { ModelSource } from '../embed/types';
import { hashImages } from '../jobs/contentHashes';
import { EMBEDDING_KIND } from '../jobs/embedDataset';
import { readStoredRows } from '../jobs/storedRows';
import type { VectorRows } from '../math/vectorRows';
import { resolveModel } from '../model/registry';
import { throwIfAborted } from '../util/concurrency';
import type { LabelledPool } from './types';

export interface PoolSource {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
  model: ModelSource;
}

export interface EmbeddedItem {
  /** Relative to the root, forward slashes. */
  path: string;
  hash: string;
  /** The given label, or null when unlabelled. */
  label: string | null;
}

export interface EmbeddedPool extends LabelledPool {
  items: EmbeddedItem[];
  modelId: string;
  /** Images that have no cached embedding (not embedded yet, or they do not decode). */
  notEmbedded: string[];
}

export async function loadEmbeddedPool(source: PoolSource, signal?: AbortSignal): Promise<EmbeddedPool> {
  const { descriptor } = await resolveModel(source.model.setting, { bundledDir: source.model.bundledDir, storageDir: source.model.storageDir, mirror: source.model.mirror, signal });
  const scan = await scanDataset(source.root, { unlabeledFolderName: source.unlabeledFolderName, signal });
  const hashes = await hashImages(scan.images, source.cacheDir, { signal });
  throwIfAborted(signal);
  const store = await EmbeddingStore.open(source.cacheDir, descriptor.id);
  try {
    const items: EmbeddedItem[] = [];
    const notEmbedded: string[] = [];
    for (const image of [...scan.images].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))) {
      const hash = hashes.byPath.get(image.relPath);
      if (hash === undefined || !store.has(hash, EMBEDDING_KIND)) notEmbedded.push(image.relPath);
      else items.push({ path: image.relPath, hash, label: image.label });
    }
    if (items.length === 0) {
      throw new Error(`No image of ${source.root} has a cached embedding for model ${descriptor.id}: run \`curator embed\` (Curator: Compute Embeddings) first.`);
    }
    const features = await readStoredRows(store, items.map((item) => item.hash), EMBEDDING_KIND);
    const classNames = [...new Set(items.flatMap((item) => (item.label === null ? [] : [item.label])))].sort();
    const labels = Int32Array.from(items, (item) => (item.label === null ? -1 : classNames.indexOf(item.label)));
    return { items, features, labels, classNames, modelId: descriptor.id, notEmbedded };
  } finally {
    await store.close();
  }
}

/**
 * Embeddings of the given content hashes from a second model's cache (a second expert), or the
 * hashes it lacks. Rows follow `hashes`.
 */
export async function loadExtraFeatures(cacheDir: string, model: ModelSource, hashes: readonly string[], signal?: AbortSignal): Promise<{ features?: VectorRows; modelId: string; missing: number }> {
  const { descriptor } = await resolveModel(model.setting, { bundledDir: model.bundledDir, storageDir: model.storageDir, mirror: model.mirror, signal });
  const store = await EmbeddingStore.open(cacheDir, descriptor.id);
  try {
    const missing = hashes.filter((hash) => !store.has(hash, EMBEDDING_KIND)).length;
    if (missing > 0) return { modelId: descriptor.id, missing };
    return { features: await readStoredRows(store, hashes, EMBEDDING_KIND), modelId: descriptor.id, missing: 0 };
  } finally {
    await store.close();
  }
}

/** A note for results when some images were left out. */
export function notEmbeddedNote(pool: EmbeddedPool): string[] {
  if (pool.notEmbedded.length === 0) return [];
  return [
    `${pool.notEmbedded.length} image(s) have no cached embedding and were left out (not embedded yet, or they do not decode); ` +
      `run \`curator embed\` (Curator: Compute Embeddings) to include them. First: ${pool.notEmbedded[0]}`,
  ];
}
