// Soft-label suggestions for one dataset root: every image gets its most likely classes with
// probabilities; labelled images whose label looks wrong are flagged with the evidence. Reads the
// scan and the cached embeddings (run embed first) and writes <cacheDir>/suggestions/<method>.json
// for the review panel.
import { join } from 'node:path';
import type { ModelSource } from '../embed/types';
import { loadEmbeddedPool } from '../pool/embeddedPool';
import { notEmbeddedNote } from '../pool/rootPool';
import { runSuggestionMethod } from '../suggest/runMethod';
import { suggestionItems, type SuggestionItem } from '../suggest/suggestionReport';
import { trustSoftLabels, type OpenSetSummary } from '../suggest/trust/trustedSuggestions';
import type { SuggestionMethod } from '../suggest/types';
import type { VisionLanguageSettings } from '../suggest/zeroShot/zeroShotExpert';
import { SUGGESTIONS_FOLDER, writeResultFile } from '../results/suggestionFiles';
import { throwIfAborted } from '../util/concurrency';

export interface SuggestLabelsParams {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
  model: ModelSource;
  method: SuggestionMethod;
  seed?: number;
  /** A labelled image is flagged when its label is not in the top 2 and the top class has at least this probability. */
  issueConfidence?: number;
  /** moe: further expert models (their embeddings must be cached too). */
  expertModels?: ModelSource[];
  /** moe: a CLIP-style image and text encoder for the zero-shot expert. */
  visionLanguage?: VisionLanguageSettings;
}

export interface SuggestLabelsResult {
  method: SuggestionMethod;
  root: string;
  modelId: string;
  classes: string[];
  labelled: number;
  unlabelled: number;
  issues: number;
  /**
   * How the unlabelled images' probabilities were calibrated: the cross-validated temperature, the
   * estimated share of unlabelled images in classes without labels, and how many are marked unknownClass.
   */
  openSet?: OpenSetSummary;
  seconds: number;
  /** Every embedded image, in path order. */
  items: SuggestionItem[];
  notes: string[];
  /** Where the result was written. */
  resultFile: string;
}

export async function suggestLabels(params: SuggestLabelsParams, signal?: AbortSignal): Promise<SuggestLabelsResult> {
  const started = performance.now();
  const pool = await loadEmbeddedPool(params, signal);
  throwIfAborted(signal);
  const { result, notes } = await runSuggestionMethod(params.method, pool, { ...params, signal });
  // Calibrated, open-set probabilities for the unlabelled images (trust/openSetCalibration.ts).
  const hasUnlabelled = pool.labels.some((label) => label < 0);
  const trusted = hasUnlabelled ? trustSoftLabels(pool, result, { seed: params.seed, signal }) : undefined;
  const items = suggestionItems(pool.items, trusted ?? result);
  const labelled = items.filter((item) => item.label !== null).length;
  const resultFile = join(params.cacheDir, SUGGESTIONS_FOLDER, `${params.method}.json`);
  const output: SuggestLabelsResult = {
    method: params.method,
    root: params.root,
    modelId: pool.modelId,
    classes: pool.classNames,
    labelled,
    unlabelled: items.length - labelled,
    issues: items.filter((item) => item.issue).length,
    ...(trusted ? { openSet: trusted.openSet } : {}),
    seconds: (performance.now() - started) / 1000,
    items,
    notes: [...notEmbeddedNote(pool), ...notes, ...(trusted ? [openSetNote(trusted.openSet)] : [])],
    resultFile,
  };
  await writeResultFile(resultFile, output);
  return output;
}

function openSetNote(openSet: OpenSetSummary): string {
  const share = Math.round(openSet.newClassShare * 100);
  return (
    `Probabilities of unlabelled images are calibrated on the labelled ones (temperature ${openSet.temperature.toPrecision(3)}) and include the chance of a class without labels: ` +
    `about ${share}% of the unlabelled images look like no labelled class, ${openSet.unknownClassCount} are marked "new class?" and Accept sure leaves them alone.`
  );
}
