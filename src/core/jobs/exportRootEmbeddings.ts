// Writes a root's cached embeddings for Python users: embeddings.npy + index.csv + meta.json.
// Nothing is embedded here; images without a cached embedding are reported so the user can run embed.

import type { ModelSource } from '../embed/types';
import { exportEmbeddings } from '../export/exportEmbeddings';
import { EMBEDDING_KIND, openRootPool } from '../pool/rootPool';

export interface ExportRootEmbeddingsParams {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
  model: ModelSource;
  outDir: string;
}

export interface ExportRootEmbeddingsResult {
  outDir: string;
  files: string[];
  rows: number;
  dim: number;
  modelId: string;
  /** Images left out because they have no cached embedding (not embedded yet, or failed to decode). */
  missing: string[];
}

export async function exportRootEmbeddings(params: ExportRootEmbeddingsParams, signal?: AbortSignal): Promise<ExportRootEmbeddingsResult> {
  const pool = await openRootPool(params, { signal });
  const { descriptor, scan, hashes, store } = pool;
  try {
    const rows = scan.images.flatMap((image) => {
      const hash = hashes.byPath.get(image.relPath);
      return hash === undefined ? [] : [{ relPath: image.relPath, label: image.label, hash }];
    });
    const written = await exportEmbeddings(rows, store, params.outDir, { kind: EMBEDDING_KIND, modelId: descriptor.id });
    const unreadable = hashes.failures.map((failure) => failure.relPath);
    return {
      outDir: params.outDir,
      files: written.files,
      rows: written.rows,
      dim: written.dim,
      modelId: descriptor.id,
      missing: [...unreadable, ...written.missing].sort(),
    };
  } finally {
    await pool.close();
  }
}
