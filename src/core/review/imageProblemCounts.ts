// The counts per kind of the newest Find Image Problems run on a root, read back from
// <cacheDir>/suggestions/image-problems.json, so the summary shows them after a reload or when the
// run was the CLI's (`curator quality`). Only the envelope and `counts` are read; the findings are
// the review panel's business (resultFiles.ts). A missing, broken or newer-layout file counts as
// absent, like every result file.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { modelCacheFolder, VECTOR_LOG_FILE } from '../cache/embeddingStore';
import { isSafeModelId } from '../model/modelId';
import { FINDING_KINDS, type FindingKind } from '../quality/imageFindings';
import { IMAGE_PROBLEMS_FILE, readResultFile, SUGGESTIONS_FOLDER } from '../results/suggestionFiles';

export interface StoredImageProblemCounts {
  counts: Record<FindingKind, number>;
  /** Images whose statistics were read. */
  images: number;
  /** When the run wrote the file (ISO 8601). */
  createdAt: string;
  modelId: string;
  /** The model's embedding cache was written to after the run: new or changed images are not in these counts. */
  olderThanEmbeddings: boolean;
}

export async function readImageProblemCounts(cacheDir: string): Promise<StoredImageProblemCounts | null> {
  let raw: Record<string, unknown>;
  try {
    raw = await readResultFile(join(cacheDir, SUGGESTIONS_FOLDER, IMAGE_PROBLEMS_FILE));
  } catch {
    return null;
  }
  const created = typeof raw.createdAt === 'string' ? Date.parse(raw.createdAt) : NaN;
  if (!Number.isFinite(created) || !isCount(raw.images) || typeof raw.modelId !== 'string' || typeof raw.counts !== 'object' || raw.counts === null) return null;
  const stored = raw.counts as Record<string, unknown>;
  const counts = {} as Record<FindingKind, number>;
  for (const kind of FINDING_KINDS) counts[kind] = isCount(stored[kind]) ? stored[kind] : 0;
  return { counts, images: raw.images, createdAt: new Date(created).toISOString(), modelId: raw.modelId, olderThanEmbeddings: await embeddingsWrittenAfter(cacheDir, raw.modelId, created) };
}

/** The embed job appends to the model's vectors.bin; a write after the run means the counts may miss images. */
async function embeddingsWrittenAfter(cacheDir: string, modelId: string, createdMs: number): Promise<boolean> {
  if (!isSafeModelId(modelId)) return false;
  const written = await stat(join(modelCacheFolder(cacheDir, modelId), VECTOR_LOG_FILE)).then((s) => s.mtimeMs, () => -1);
  return written > createdMs;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
