// Writes a root's cached embeddings for Python users: embeddings.npy + index.csv + meta.json.
// Nothing is embedded here; images without a cached embedding are reported so the user can run embed.

import { EmbeddingStore } from '../cache/embeddingStore';
import { scanDataset } from '../dataset/scan';
import type { ModelSource } from '../embed/types';
import { exportEmbeddings } from '../export/exportEmbeddings';
import { resolveModel } from '../model/registry';
import { throwIfAborted } from '../util/concurrency';
import { hashImages } from './contentHashes';
import { EMBEDDING_KIND } from './embedDataset';

export interface ExportDatasetParams {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
  model: ModelSource;
  outDir: string;
}

export interface ExportDatasetResult {
  outDir: string;
  files: string[];
  rows: number;
  dim: number;
  modelId: string;
  /** Images left out because they have no cached embedding (not embedded yet, or failed to decode). */
  missing: string[];
}

export async function exportDataset(params: ExportDatasetParams, signal?: AbortSignal): Promise<ExportDatasetResult> {
  const { descriptor } = await resolveModel(params.model.setting, {
    bundledDir: params.model.bundledDir,
    storageDir: params.model.storageDir,
    mirror: params.model.mirror,
    signal,
  });
  const scan = await scanDataset(params.root, { unlabeledFolderName: params.unlabeledFolderName, signal });
  const hashes = await hashImages(scan.images, params.cacheDir, { signal });
  throwIfAborted(signal);
  const store = await EmbeddingStore.open(params.cacheDir, descriptor.id);
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
    await store.close();
  }
}
