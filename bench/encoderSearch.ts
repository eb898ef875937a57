// Which layers, pooling, input scaling and resolution of the npm-reachable weights separate real
// photographs best: k-NN accuracy on the natural-image dev set for many candidate embeddings at once.
//   node dist/bench/encoderSearch.js [--pool-per-class 250] [--sizes 160,224] [--models inception_v3,mobilenet_v2]
// Prints a table; this is the study behind the bundled encoders (docs/default-model.md).
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { convertKerasToOnnx, type OutputSpec } from '../tools/keras-to-onnx/convert';
import { loadNsfwjsModel, nsfwjsModelFiles, type NsfwjsModelName } from '../tools/keras-to-onnx/nsfwjs-models';
import { benchFlag } from './lib/benchSupport';
import { cifarSplit, decodedPixels } from './lib/cifarDev';
import { knnAccuracy } from './lib/knnAccuracy';
import { centredUnitRows, columnMean } from '../src/core/math/vectorRows';
import { repo } from './lib/mnistData';

const CANDIDATE_LAYERS: Record<NsfwjsModelName, string[]> = {
  inception_v3: ['mixed3', 'mixed4', 'mixed5', 'mixed6'],
  mobilenet_v2: ['block_6_expand_relu', 'block_10_expand_relu', 'block_10_depthwise_relu', 'block_13_expand_relu', 'out_relu'],
};

async function main(): Promise<void> {
  const perClass = Number(benchFlag('pool-per-class', '250'));
  const sizes = benchFlag('sizes', '160,224').split(',').map(Number);
  const models = benchFlag('models', 'inception_v3,mobilenet_v2').split(',') as NsfwjsModelName[];
  const scalings = benchFlag('scalings', 'unit,signed').split(',');
  const cacheDir = join(repo, '.scratch', 'encoder-search');
  const pool = cifarSplit('pool', perClass);
  const test = cifarSplit('test');
  for (const modelName of models) {
    const artifacts = loadNsfwjsModel(nsfwjsModelFiles(modelName));
    for (const size of sizes) {
      const outputs: OutputSpec[] = CANDIDATE_LAYERS[modelName].flatMap((layer) => [
        { name: `${layer}:avg`, layer, form: 'pooled' as const },
        { name: `${layer}:gem3`, layer, form: 'gem' as const, power: 3 },
      ]);
      const model = convertKerasToOnnx(artifacts, { inputName: 'input', graphName: modelName, docString: '', outputs, inputSize: [size, size] });
      const session = await ort.InferenceSession.create(Buffer.from(model.onnx), { graphOptimizationLevel: 'all' });
      const poolPixels = await decodedPixels(pool.paths, size, cacheDir, 'pool');
      const testPixels = await decodedPixels(test.paths, size, cacheDir, 'test');
      for (const scaling of scalings) {
        const started = Date.now();
        const poolFeatures = await run(session, poolPixels, size, scaling);
        const testFeatures = await run(session, testPixels, size, scaling);
        const seconds = (Date.now() - started) / 1000;
        for (const name of session.outputNames) {
          const dim = poolFeatures.get(name)!.length / pool.paths.length;
          const poolRows = { data: poolFeatures.get(name)!, rows: pool.paths.length, width: dim };
          const testRows = { data: testFeatures.get(name)!, rows: test.paths.length, width: dim };
          const mean = columnMean([poolRows], dim);
          const accuracy = knnAccuracy(centredUnitRows(poolRows, mean).data, pool.labels, centredUnitRows(testRows, mean).data, test.labels, dim, [1, 20]);
          console.log([modelName, size, scaling, name, dim, (100 * accuracy[1]).toFixed(1), (100 * accuracy[20]).toFixed(1), seconds.toFixed(0)].join('\t'));
        }
      }
    }
  }
}

async function run(session: ort.InferenceSession, pixels: Uint8Array, size: number, scaling: string): Promise<Map<string, Float32Array>> {
  const stride = size * size * 3;
  const count = pixels.length / stride;
  const batch = 32;
  const parts = new Map<string, Float32Array[]>(session.outputNames.map((name) => [name, []]));
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const input = new Float32Array(n * stride);
    for (let i = 0; i < n * stride; i++) {
      const value = pixels[start * stride + i] / 255;
      input[i] = scaling === 'signed' ? value * 2 - 1 : value;
    }
    const result = await session.run({ input: new ort.Tensor('float32', input, [n, size, size, 3]) });
    for (const name of session.outputNames) parts.get(name)!.push(result[name].data as Float32Array);
  }
  const joined = new Map<string, Float32Array>();
  for (const [name, chunks] of parts) {
    const out = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    joined.set(name, out);
  }
  return joined;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
