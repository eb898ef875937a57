// The natural-image benchmark set (../shared/data/cifar10-dev: pool/<class>/*.jpg and
// test/<class>/*.jpg), embedded through the project's own pipeline into a cache under .scratch,
// once per encoder: later runs read everything from the cache. The class folders are the truth;
// selectors never see them (the benchmark hands them an unlabelled pool).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddingStore } from '../../src/core/cache/embeddingStore';
import { scanDataset } from '../../src/core/dataset/scan';
import { EncoderCache } from '../../src/core/embed/encoderCache';
import type { ModelSource } from '../../src/core/embed/types';
import { hashImages } from '../../src/core/pool/contentHashes';
import { EMBEDDING_KIND, embedDataset } from '../../src/core/jobs/embedDataset';
import { resolveModel } from '../../src/core/model/registry';
import { patternsKind } from '../../src/core/select/semanticPatterns';
import type { PatternSets, VectorRows } from '../../src/core/select/types';
import { readStoredPatternSets, readStoredRows } from '../../src/core/pool/storedRows';

export interface EmbeddedSplit {
  rows: VectorRows;
  labels: Int32Array;
  /** FreeSel patterns by K (pool only, and only when the encoder has a feature map). */
  patterns: Map<number, PatternSets>;
  files: string[];
}

export interface EmbeddedDevSet {
  modelId: string;
  classNames: string[];
  pool: EmbeddedSplit;
  test: EmbeddedSplit;
  hasFeatureMap: boolean;
}

/** `setting` is 'default' (the bundled encoder) or the absolute path of a model.json. */
export async function embedDevSet(dataRoot: string, setting: string, repo: string, cacheRoot: string, patternCounts: number[]): Promise<EmbeddedDevSet> {
  const model: ModelSource = { setting, bundledDir: join(repo, 'dist', 'models', 'default'), storageDir: join(cacheRoot, 'models') };
  const { descriptor } = await resolveModel(setting, { bundledDir: model.bundledDir, storageDir: model.storageDir });
  const cacheDir = join(cacheRoot, 'cache');
  const hasFeatureMap = Boolean(descriptor.outputs.featureMap);
  const encoders = new EncoderCache();
  try {
    for (const patternCount of hasFeatureMap && patternCounts.length > 0 ? patternCounts : [1]) {
      const started = performance.now();
      const result = await embedDataset(
        { root: dataRoot, unlabeledFolderName: 'unlabeled', cacheDir, model, executionProvider: 'cpu', batchSize: 32, patternCount },
        { encoders, onProgress: (p) => process.stderr.write(`\r${descriptor.id}: ${p.phase} ${p.done}/${p.total}   `) },
      );
      process.stderr.write(
        `\n${descriptor.id}: ${result.embedded} embedded, ${result.patternsComputed} pattern sets (K = ${patternCount}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  } finally {
    await encoders.dispose();
  }
  const classNames = (await readdir(join(dataRoot, 'pool'))).sort();
  const scan = await scanDataset(dataRoot, { unlabeledFolderName: 'unlabeled' });
  const hashes = await hashImages(scan.images, cacheDir);
  const store = await EmbeddingStore.open(cacheDir, descriptor.id);
  try {
    const split = async (name: 'pool' | 'test', counts: number[]): Promise<EmbeddedSplit> => {
      const files: string[] = [];
      const labels: number[] = [];
      for (const [c, className] of classNames.entries()) {
        for (const file of (await readdir(join(dataRoot, name, className))).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()) {
          files.push(`${name}/${className}/${file}`);
          labels.push(c);
        }
      }
      const hashList = files.map((file) => {
        const hash = hashes.byPath.get(file);
        if (!hash) throw new Error(`${file} was not hashed`);
        return hash;
      });
      const rows = await readStoredRows(store, hashList, EMBEDDING_KIND);
      const patterns = new Map<number, PatternSets>();
      for (const k of hasFeatureMap ? counts : []) patterns.set(k, await readStoredPatternSets(store, hashList, patternsKind(k)));
      return { rows, labels: Int32Array.from(labels), patterns, files };
    };
    return { modelId: descriptor.id, classNames, pool: await split('pool', patternCounts), test: await split('test', []), hasFeatureMap };
  } finally {
    await store.close();
  }
}
