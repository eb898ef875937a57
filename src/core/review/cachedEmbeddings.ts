// Which models a root's embedding cache holds vectors for, and when each was last written, from
// <cacheDir>/models/<modelId>/{meta.json, vectors.bin} without opening a store (no lock, no record
// scan): enough for the summary to say after a reload that the embeddings are cached, not how many.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_FORMAT_VERSION, META_FILE } from '../cache/cacheMeta';
import { modelsCacheFolder, VECTOR_LOG_FILE } from '../cache/embeddingStore';

export interface CachedEmbeddings {
  modelId: string;
  /** When vectors.bin was last appended to (ISO 8601). */
  writtenAt: string;
}

/** Models with a non-empty cache of this version's format, last written first. */
export async function listCachedEmbeddings(cacheDir: string): Promise<CachedEmbeddings[]> {
  const folder = modelsCacheFolder(cacheDir);
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const found: Array<CachedEmbeddings & { ms: number }> = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const modelId = await metaModelId(join(folder, entry.name, META_FILE));
    const vectors = await stat(join(folder, entry.name, VECTOR_LOG_FILE)).catch(() => undefined);
    if (modelId === undefined || !vectors?.isFile() || vectors.size === 0) continue;
    found.push({ modelId, writtenAt: vectors.mtime.toISOString(), ms: vectors.mtimeMs });
  }
  return found.sort((a, b) => b.ms - a.ms).map(({ modelId, writtenAt }) => ({ modelId, writtenAt }));
}

/** The model meta.json names, when it is of this cache format (a folder set aside or from another version is left out). */
async function metaModelId(file: string): Promise<string | undefined> {
  try {
    const meta = JSON.parse(await readFile(file, 'utf8')) as { formatVersion?: unknown; modelId?: unknown };
    return meta.formatVersion === CACHE_FORMAT_VERSION && typeof meta.modelId === 'string' && meta.modelId.length > 0 ? meta.modelId.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}
