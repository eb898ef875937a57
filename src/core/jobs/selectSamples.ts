// Which unlabelled images to label next, for one dataset root: reads the scan, the content hashes
// and the cached embeddings (and FreeSel patterns) and runs one selector. Nothing is embedded
// here: images without a cached embedding are left out and named, so the caller can run embed.
// Identical files are one candidate (the first path, the others listed as duplicates), and an
// unlabelled file identical to a labelled one is not a candidate at all.
import type { ModelSource } from '../embed/types';
import { openMatrixKernels } from '../select/kernels/onnxKernels';
import { AutoSelector, type AutoChoice } from '../select/autoSelector';
import { selectorFor } from '../select/selectors';
import { DEFAULT_PATTERN_COUNT, patternsKind } from '../select/semanticPatterns';
import type { PatternSets, SelectionMethod, SelectionPool, VectorRows } from '../select/types';
import { throwIfAborted } from '../util/concurrency';
import { EMBEDDING_KIND, embeddedImages, notEmbeddedNote, nothingEmbeddedError, openRootPool } from '../pool/rootPool';
import { readStoredPatternSets, readStoredRows } from '../pool/storedRows';

export interface SelectSamplesParams {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
  model: ModelSource;
  method: SelectionMethod;
  budget: number;
  seed: number;
  /** FreeSel: farthest-first instead of D^2 sampling. */
  farthestFirst?: boolean;
  /** FreeSel: which patterns to read (K used at embed time). */
  patternCount?: number;
  /** Folder with the built ONNX kernels; without it the JS kernels run. */
  kernelsDir?: string;
}

export interface SelectionItem {
  /** Relative to the root, forward slashes. */
  path: string;
  rank: number;
  score: number;
  /** Other unlabelled files with identical content. */
  duplicates?: string[];
  /** Method-specific reasons: distance, gradNorm, predictedLoss, entropy, margin, maxProbability, patterns. */
  [reason: string]: string | number | string[] | undefined;
}

export interface SelectSamplesResult {
  method: SelectionMethod;
  budget: number;
  seed: number;
  variant?: 'd2-sampling' | 'farthest-first';
  root: string;
  modelId: string;
  /** Distinct unlabelled candidates and labelled images the selection saw. */
  candidates: number;
  labelled: number;
  /** Which matrix kernels ran (onnxruntime or the JS fallback). */
  kernels: string;
  seconds: number;
  items: SelectionItem[];
  /** Things the user should know (e.g. images left out because they are not embedded). */
  notes: string[];
  /** Method `auto` only: the method it ran and why. */
  autoChoice?: AutoChoice;
}

export interface SelectProgress {
  phase: 'scan' | 'hash' | 'read' | 'select';
  done: number;
  total: number;
}

export async function selectSamples(params: SelectSamplesParams, signal?: AbortSignal, onProgress?: (progress: SelectProgress) => void): Promise<SelectSamplesResult> {
  const started = performance.now();
  const budget = Math.floor(params.budget);
  if (!Number.isInteger(budget) || budget < 1) throw new Error(`The budget must be a positive whole number (got ${params.budget}).`);
  const rootPool = await openRootPool(params, { signal, onProgress });
  const { descriptor, store } = rootPool;
  const kernels = await openMatrixKernels(params.kernelsDir);
  try {
    const { items: embedded, notEmbedded } = embeddedImages(rootPool);
    const labelledImages: Array<{ hash: string; label: string }> = [];
    const candidates = new Map<string, string[]>();
    for (const { path, hash, label } of embedded) {
      if (label !== null) labelledImages.push({ hash, label });
      else candidates.set(hash, [...(candidates.get(hash) ?? []), path]);
    }
    for (const { hash } of labelledImages) candidates.delete(hash);
    const notes = notEmbeddedNote({ notEmbedded });
    if (candidates.size === 0 && notEmbedded.length > 0 && labelledImages.length === 0) throw nothingEmbeddedError(params.root, descriptor.id);

    const candidateHashes = [...candidates.keys()];
    const classNames = [...new Set(labelledImages.map((l) => l.label))].sort();
    onProgress?.({ phase: 'read', done: 0, total: candidateHashes.length + labelledImages.length });
    const unlabelled = await readStoredRows(store, candidateHashes, EMBEDDING_KIND);
    const labelled = await readStoredRows(store, labelledImages.map((l) => l.hash), EMBEDDING_KIND);
    const pool: SelectionPool = {
      unlabelled: { ...unlabelled, width: unlabelled.width || labelled.width },
      labelled: { ...labelled, width: labelled.width || unlabelled.width },
      labels: Int32Array.from(labelledImages, (l) => classNames.indexOf(l.label)),
      classNames,
    };
    if (params.method === 'freesel') {
      const patternCount = params.patternCount ?? DEFAULT_PATTERN_COUNT;
      if (descriptor.outputs.featureMap) {
        const kind = patternsKind(patternCount);
        const missing = candidateHashes.filter((hash) => !store.has(hash, kind));
        if (missing.length > 0) {
          throw new Error(
            `${missing.length} of ${candidateHashes.length} unlabelled images have no FreeSel patterns (K = ${patternCount}) yet: they were embedded before patterns existed or with another K. ` +
              'Run `curator embed` (Curator: Compute Embeddings) again: it computes only the missing patterns.',
          );
        }
        pool.unlabelledPatterns = await readStoredPatternSets(store, candidateHashes, kind);
        pool.labelledPatterns = await readStoredPatternSets(store, labelledImages.map((l) => l.hash).filter((hash) => store.has(hash, kind)), kind);
      } else {
        notes.push(`Model ${descriptor.id} has no feature map output: FreeSel used each image's embedding as its single pattern.`);
        pool.unlabelledPatterns = singlePatterns(pool.unlabelled);
        pool.labelledPatterns = singlePatterns(pool.labelled);
      }
    }
    throwIfAborted(signal);

    onProgress?.({ phase: 'select', done: 0, total: budget });
    const selector = selectorFor(params.method, { farthestFirst: params.farthestFirst });
    const picks = await selector.select(pool, { budget, seed: params.seed, kernels, signal });
    const autoChoice = selector instanceof AutoSelector ? selector.lastChoice : undefined;
    const items: SelectionItem[] = picks.map((pick, position) => {
      const [path, ...duplicates] = candidates.get(candidateHashes[pick.index])!;
      return { path, rank: position + 1, score: pick.score, ...pick.why, ...(duplicates.length > 0 ? { duplicates } : {}) };
    });
    onProgress?.({ phase: 'select', done: budget, total: budget });
    return {
      method: params.method,
      budget,
      seed: params.seed,
      ...(params.method === 'freesel' ? { variant: params.farthestFirst ? ('farthest-first' as const) : ('d2-sampling' as const) } : {}),
      root: params.root,
      modelId: descriptor.id,
      candidates: candidateHashes.length,
      labelled: labelledImages.length,
      kernels: kernels.name,
      seconds: (performance.now() - started) / 1000,
      items,
      notes,
      ...(autoChoice ? { autoChoice } : {}),
    };
  } finally {
    await kernels.dispose();
    await rootPool.close();
  }
}

function singlePatterns(rows: VectorRows): PatternSets {
  return { vectors: rows, offsets: Int32Array.from({ length: rows.rows + 1 }, (_, i) => i) };
}
