// Images that look wrong next to the rest of their root: dark, bright, blurry, low-information,
// grayscale, odd aspect ratio, odd size. Reads the statistics the embed job stored beside each
// embedding (core/quality/imageStats.ts); nothing is decoded here. Written to
// <cacheDir>/suggestions/image-problems.json.
import { join } from 'node:path';
import type { ModelSource } from '../embed/types';
import { openRootPool } from '../pool/rootPool';
import { countByKind, DEFAULT_OUTLIER_SPREAD, findImageProblems as findProblems, type FindingKind, type ImageFinding, type KindThreshold, type StatsOfImage } from '../quality/imageFindings';
import { STATS_KIND, statsFromRecord } from '../quality/imageStats';
import { IMAGE_PROBLEMS_FILE, SUGGESTIONS_FOLDER, writeResultFile } from '../results/suggestionFiles';
import { throwIfAborted } from '../util/concurrency';

export interface FindImageProblemsParams {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
  model: ModelSource;
  /** Robust standard deviations from the dataset's median at which an image counts as an outlier (default 3). */
  spread?: number;
}

export interface FindImageProblemsResult {
  root: string;
  modelId: string;
  /** Images whose statistics were read. */
  images: number;
  counts: Record<FindingKind, number>;
  /** By kind, worst first within a kind. */
  findings: ImageFinding[];
  /** Each kind's threshold on this dataset. */
  thresholds: KindThreshold[];
  notes: string[];
  seconds: number;
  resultFile: string;
}

export async function findImageProblems(params: FindImageProblemsParams, signal?: AbortSignal): Promise<FindImageProblemsResult> {
  const started = performance.now();
  const pool = await openRootPool(params, { signal });
  const images: StatsOfImage[] = [];
  const missing: string[] = [];
  try {
    const statsByHash = new Map<string, StatsOfImage['stats'] | undefined>();
    for (const image of [...pool.scan.images].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))) {
      const hash = pool.hashes.byPath.get(image.relPath);
      if (hash !== undefined && !statsByHash.has(hash)) {
        const record = await pool.store.get(hash, STATS_KIND);
        statsByHash.set(hash, record ? statsFromRecord(record.data) : undefined);
      }
      const stats = hash === undefined ? undefined : statsByHash.get(hash);
      if (stats) images.push({ path: image.relPath, stats });
      else missing.push(image.relPath);
    }
  } finally {
    await pool.close();
  }
  throwIfAborted(signal);
  if (images.length === 0) {
    throw new Error(
      `No image of ${params.root} has image statistics for model ${pool.descriptor.id} yet: run \`curator embed\` (Curator: Compute Embeddings) first. ` +
        'It computes them with the embeddings; images embedded earlier get only their statistics (one decode each, no model run).',
    );
  }
  const { findings, thresholds } = findProblems(images, params.spread ?? DEFAULT_OUTLIER_SPREAD);
  const resultFile = join(params.cacheDir, SUGGESTIONS_FOLDER, IMAGE_PROBLEMS_FILE);
  const result: FindImageProblemsResult = {
    root: params.root,
    modelId: pool.descriptor.id,
    images: images.length,
    counts: countByKind(findings),
    findings,
    thresholds,
    notes: missing.length === 0 ? [] : [missingNote(missing)],
    seconds: (performance.now() - started) / 1000,
    resultFile,
  };
  await writeResultFile(resultFile, result);
  return result;
}

function missingNote(missing: string[]): string {
  return (
    `${missing.length} image(s) have no image statistics and were left out (not embedded yet, embedded before the statistics existed, or they do not decode); ` +
    `run \`curator embed\` (Curator: Compute Embeddings) to include them. First: ${missing[0]}`
  );
}
