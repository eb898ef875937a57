// One entry point for the three soft-label methods, so jobs and benchmarks run them the same way.
import type { ModelSource } from '../embed/types';
import { loadExtraFeatures, type EmbeddedPool } from '../pool/embeddedPool';
import { KnnLabelPropagator } from './knnLabelPropagator';
import { LongTailMixture, type Expert } from './longTail/longTailMixture';
import { PartialLabelDistiller } from './partialLabelDistiller';
import { SuggestionUnavailableError, type SoftLabels, type SuggestionMethod } from './types';
import { embedClassPrompts, zeroShotProbabilities, ZERO_SHOT_DEFAULTS, type VisionLanguageSettings } from './zeroShot/zeroShotExpert';

export interface MethodSettings {
  seed?: number;
  issueConfidence?: number;
  /** moe: models whose cached embeddings are the further experts (the root's model is the first). */
  expertModels?: ModelSource[];
  /** moe: a CLIP-style image and text encoder; when set, the mixture gains a zero-shot expert. */
  visionLanguage?: VisionLanguageSettings;
  cacheDir: string;
  signal?: AbortSignal;
}

export async function runSuggestionMethod(method: SuggestionMethod, pool: EmbeddedPool, settings: MethodSettings): Promise<{ result: SoftLabels; notes: string[] }> {
  const { seed, issueConfidence, signal } = settings;
  const unused = settings.visionLanguage ? [`The zero-shot visual-language expert is part of the mixture of experts (moe) only; ${method} did not use it.`] : [];
  switch (method) {
    case 'pll':
      return { result: new PartialLabelDistiller({ seed, issueConfidence, signal }).run(pool), notes: unused };
    case 'knn':
      return { result: new KnnLabelPropagator({ issueConfidence, signal }).run(pool), notes: unused };
    case 'moe': {
      const experts: Expert[] = [{ name: pool.modelId, features: pool.features }];
      for (const model of settings.expertModels ?? []) {
        const extra = await loadExtraFeatures(settings.cacheDir, model, pool.items.map((item) => item.hash), signal);
        if (!extra.features) {
          throw new SuggestionUnavailableError(
            `Expert model ${extra.modelId} has no cached embedding for ${extra.missing} of ${pool.items.length} images: embed the dataset with that model too (curator embed --model ...).`,
          );
        }
        experts.push({ name: extra.modelId, features: extra.features });
      }
      if (settings.visionLanguage) experts.push(await zeroShotExpert(pool, settings.visionLanguage, settings.cacheDir, signal));
      const notes = experts.length < 2 ? ['Only one expert is configured, so the mixture is a single class-balanced cosine head; add a second model as an expert for a real mixture.'] : [];
      return { result: new LongTailMixture({ seed, issueConfidence, signal }).run(pool, experts), notes };
    }
  }
}

/** The visual-language expert: the image tower's cached embeddings against the class prompts. */
async function zeroShotExpert(pool: EmbeddedPool, settings: VisionLanguageSettings, cacheDir: string, signal?: AbortSignal): Promise<Expert> {
  const images = await loadExtraFeatures(cacheDir, settings.imageModel, pool.items.map((item) => item.hash), signal);
  if (!images.features) {
    throw new SuggestionUnavailableError(
      `The visual-language image encoder ${images.modelId} has no cached embedding for ${images.missing} of ${pool.items.length} images: ` +
        'embed the dataset with that model too (curator embed --model <its descriptor>).',
    );
  }
  const prompts = await embedClassPrompts(settings, pool.classNames);
  const probabilities = zeroShotProbabilities(images.features, prompts, settings.temperature ?? ZERO_SHOT_DEFAULTS.temperature);
  return { name: `zero-shot ${images.modelId}`, probabilities };
}
