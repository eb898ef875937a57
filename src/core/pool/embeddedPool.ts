// What every suggestion, cluster and duplicate job starts from: a root opened (rootPool.ts) and read
// into one matrix of the cached embeddings, with each image's label. Images without a cached
// embedding are left out and counted, so the caller can tell the user to run embed first.
import { EmbeddingStore } from '../cache/embeddingStore';
import type { ModelSource } from '../embed/types';
import type { VectorRows } from '../math/vectorRows';
import { resolveModel } from '../model/registry';
import { EMBEDDING_KIND, embeddedImages, nothingEmbeddedError, openRootPool, type EmbeddedItem, type PoolSource } from './rootPool';
import { readStoredRows } from './storedRows';

/** Every embedded image of a root: its embedding row and its given label (class index, -1 = unlabelled), as the methods take them. */
export interface EmbeddedPool {
  items: EmbeddedItem[];
  features: VectorRows;
  labels: Int32Array;
  classNames: string[];
  modelId: string;
  /** Images that have no cached embedding (not embedded yet, or they do not decode). */
  notEmbedded: string[];
}

export async function loadEmbeddedPool(source: PoolSource, signal?: AbortSignal): Promise<EmbeddedPool> {
  const pool = await openRootPool(source, { signal });
  try {
    const { items, notEmbedded } = embeddedImages(pool);
    if (items.length === 0) throw nothingEmbeddedError(source.root, pool.descriptor.id);
    const features = await readStoredRows(pool.store, items.map((item) => item.hash), EMBEDDING_KIND);
    const classNames = [...new Set(items.flatMap((item) => (item.label === null ? [] : [item.label])))].sort();
    const labels = Int32Array.from(items, (item) => (item.label === null ? -1 : classNames.indexOf(item.label)));
    return { items, features, labels, classNames, modelId: pool.descriptor.id, notEmbedded };
  } finally {
    await pool.close();
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
