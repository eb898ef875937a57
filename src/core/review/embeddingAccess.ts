// Short, read-only visits to a root's embedding cache. The store's lock is held only for the read,
// so the panel never keeps Compute Embeddings from running; while an embedding run holds the lock,
// the visit fails with CacheLockedError and the caller says "try again when embedding is done".

import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddingStore, modelCacheFolder, VECTOR_LOG_FILE } from '../cache/embeddingStore';

export { EMBEDDING_KIND } from '../pool/rootPool';

/** How long a visit waits for a job of this process that holds the cache before it is refused. */
const VISIT_WAIT_MS = 2000;

/** Runs `read` on the open store, or returns undefined when this model has no cache for the root yet. */
export async function withEmbeddingStore<T>(cacheDir: string, modelId: string, read: (store: EmbeddingStore) => Promise<T>): Promise<T | undefined> {
  // Opening creates an empty cache; a root that was never embedded is left untouched instead.
  const exists = await access(join(modelCacheFolder(cacheDir, modelId), VECTOR_LOG_FILE)).then(
    () => true,
    () => false,
  );
  if (!exists) return undefined;
  // A job on this cache in the same engine goes first; a panel visit waits a moment, not the job's length.
  const store = await EmbeddingStore.open(cacheDir, modelId, { waitInProcessMs: VISIT_WAIT_MS });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}
