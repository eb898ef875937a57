// TypiClust and ProbCover on real embeddings: 300 CIFAR-10 photographs of ../shared/data/cifar10-dev
// (30 per class) embedded by the reference ImageNet MobileNetV2 through the project's pipeline.
// With 10 picks, a random sample of 10 classes misses about 3.5 classes (10 x 0.9^10), and the
// 1-NN rule it trains is weak; typicality and coverage picks should reach more classes and a
// better 1-NN rule than random, over the same seeds. Skipped when ../shared is not beside the repository.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { scanDataset } from '../../../src/core/dataset/scan';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import { hashImages } from '../../../src/core/pool/contentHashes';
import { EMBEDDING_KIND, embedDataset } from '../../../src/core/jobs/embedDataset';
import { exposeMobileNetV2Int8Outputs, mobileNetV2Int8Descriptor, MOBILENETV2_INT8_FILE_NAME } from '../../../src/core/model/referenceMobileNetV2';
import { JsMatrixKernels } from '../../../src/core/select/kernels/jsKernels';
import { selectorFor } from '../../../src/core/select/selectors';
import type { SelectionMethod, SelectionPool, VectorRows } from '../../../src/core/select/types';

const PER_CLASS = 30;
const BUDGET = 10;
const SEEDS = [1, 2, 3, 4, 5];

function sharedDir(): string | undefined {
  for (let dir = __dirname; dir !== resolve(dir, '..'); dir = resolve(dir, '..')) {
    if (existsSync(join(dir, 'package.json'))) {
      const shared = resolve(dir, '..', 'shared');
      return existsSync(join(shared, 'data', 'cifar10-dev')) && existsSync(join(shared, 'models', MOBILENETV2_INT8_FILE_NAME)) ? shared : undefined;
    }
  }
  return undefined;
}

describe('cold-start selection on real photographs (reference encoder)', function () {
  this.timeout(300_000);
  const shared = sharedDir();
  let work: string;
  let rows: VectorRows;
  let truth: Int32Array;

  before(async function () {
    if (!shared) this.skip();
    work = await mkdtemp(join(tmpdir(), 'curator-coldstart-'));
    const modelDir = join(work, 'model');
    await mkdir(modelDir);
    await writeFile(join(modelDir, 'model.onnx'), exposeMobileNetV2Int8Outputs(await readFile(join(shared!, 'models', MOBILENETV2_INT8_FILE_NAME))));
    await writeFile(join(modelDir, 'model.json'), JSON.stringify(mobileNetV2Int8Descriptor('model.onnx')));
    // Unlabelled on disk; the class stays in this test only (in the file name's prefix).
    const root = join(work, 'root');
    await mkdir(join(root, 'unlabeled'), { recursive: true });
    const classes = (await readdir(join(shared!, 'data', 'cifar10-dev', 'pool'))).sort();
    const files: string[] = [];
    const labels: number[] = [];
    for (const [c, name] of classes.entries()) {
      for (const file of (await readdir(join(shared!, 'data', 'cifar10-dev', 'pool', name))).sort().slice(0, PER_CLASS)) {
        const target = `unlabeled/${c}_${file}`;
        await copyFile(join(shared!, 'data', 'cifar10-dev', 'pool', name, file), join(root, target));
        files.push(target);
        labels.push(c);
      }
    }
    const cacheDir = join(work, 'cache');
    const model = { setting: join(modelDir, 'model.json'), bundledDir: modelDir, storageDir: join(work, 'models') };
    const encoders = new EncoderCache();
    try {
      await embedDataset({ root, unlabeledFolderName: 'unlabeled', cacheDir, model, executionProvider: 'cpu', batchSize: 32 }, { encoders });
    } finally {
      await encoders.dispose();
    }
    const hashes = await hashImages((await scanDataset(root, { unlabeledFolderName: 'unlabeled' })).images, cacheDir);
    const store = await EmbeddingStore.open(cacheDir, 'mobilenetv2-12-int8');
    try {
      const data = await store.readMatrix(files.map((f) => hashes.byPath.get(f)!), EMBEDDING_KIND);
      rows = { data, rows: files.length, width: data.length / files.length };
    } finally {
      await store.close();
    }
    truth = Int32Array.from(labels);
  });

  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const kernels = new JsMatrixKernels();
  const pool = (): SelectionPool => ({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: rows.width }, labels: new Int32Array(0), classNames: [] });

  /** Mean over seeds of the classes reached and of the 1-NN accuracy (cosine) on the whole 300. */
  async function score(method: SelectionMethod): Promise<{ classes: number; nearest: number }> {
    let classes = 0;
    let nearest = 0;
    for (const seed of SEEDS) {
      const picks = (await selectorFor(method).select(pool(), { budget: BUDGET, seed, kernels })).map((p) => p.index);
      assert.equal(picks.length, BUDGET);
      classes += new Set(picks.map((p) => truth[p])).size / SEEDS.length;
      nearest += nearestPickAccuracy(picks) / SEEDS.length;
    }
    return { classes, nearest };
  }

  function nearestPickAccuracy(picks: number[]): number {
    const { width } = rows;
    const mean = new Float64Array(width);
    for (let i = 0; i < rows.rows; i++) for (let d = 0; d < width; d++) mean[d] += rows.data[i * width + d] / rows.rows;
    const cosine = (a: number, b: number) => {
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let d = 0; d < width; d++) {
        const x = rows.data[a * width + d] - mean[d];
        const y = rows.data[b * width + d] - mean[d];
        dot += x * y;
        na += x * x;
        nb += y * y;
      }
      return dot / Math.sqrt(na * nb);
    };
    let correct = 0;
    for (let i = 0; i < rows.rows; i++) {
      let best = picks[0];
      for (const p of picks) if (cosine(i, p) > cosine(i, best)) best = p;
      if (truth[best] === truth[i]) correct++;
    }
    return correct / rows.rows;
  }

  it('TypiClust and ProbCover reach more classes and a better 1-NN rule than random with 10 picks', async () => {
    const random = await score('random');
    for (const method of ['typiclust', 'probcover'] as const) {
      const s = await score(method);
      assert.ok(s.classes > random.classes, `${method} reaches ${s.classes.toFixed(1)} classes on average, random ${random.classes.toFixed(1)}`);
      assert.ok(s.nearest > random.nearest, `${method} 1-NN ${(100 * s.nearest).toFixed(1)}%, random ${(100 * random.nearest).toFixed(1)}%`);
    }
  });
});
