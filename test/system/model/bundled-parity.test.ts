// Every bundled encoder must compute what nsfwjs's TF.js model computes at the same layer, on real
// images: the feature map exactly (up to float rounding), and the embedding as its GeM pooling.
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { BUNDLED_MODELS, convertBundledModel } from '../../../tools/keras-to-onnx/bundled-models';
import { loadNsfwjsModel, nsfwjsModelFiles } from '../../../tools/keras-to-onnx/nsfwjs-models';
import { skimagePhotos } from '../../fixtures/photos';
import { loadTruncatedReferenceModel, predictOne } from './tfjs-reference';
import { mnistDigits, mnistToModelInput, photoToModelInput, stackBatch } from './sample-inputs';

function maxAbsDifference(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length, 'output sizes differ');
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}

/** Differences relative to the largest reference activation: float32 rounding grows with magnitude. */
function assertClose(name: string, actual: Float32Array, expected: Float32Array, relativeBound: number): void {
  const difference = maxAbsDifference(actual, expected);
  const scale = Math.max(1, expected.reduce((worst, value) => Math.max(worst, Math.abs(value)), 0));
  console.log(`      ${name}: max |difference| = ${difference.toExponential(2)} (largest activation ${scale.toFixed(2)})`);
  assert.ok(difference <= relativeBound * scale, `${name}: max difference ${difference} exceeds ${relativeBound} x ${scale}`);
}

/** (mean over positions of max(x, 1e-6)^p)^(1/p) per channel of an NHWC map: the graph's GeM pooling. */
function generalisedMean(map: Float32Array, count: number, positions: number, channels: number, power: number): Float32Array {
  const pooled = new Float32Array(count * channels);
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let p = 0; p < positions; p++) sum += Math.max(map[(n * positions + p) * channels + c], 1e-6) ** power;
      pooled[n * channels + c] = (sum / positions) ** (1 / power);
    }
  }
  return pooled;
}

for (const spec of BUNDLED_MODELS) {
  describe(`bundled model "${spec.setting}" (${spec.source} ${spec.layer} at ${spec.inputSize.join('x')}) against TF.js`, function () {
    // TF.js's pure-JS backend is slow: a few seconds per image on two cores.
    this.timeout(300_000);
    let count = 0;
    let onnx: ort.InferenceSession.OnnxValueMapType;
    let referenceMap: Float32Array;

    before(async () => {
      const [height] = spec.inputSize;
      const [cat, , , rocket] = await skimagePhotos();
      const images = [await mnistToModelInput(mnistDigits(7, 1)[0], height), await photoToModelInput(cat, height), await photoToModelInput(rocket, height)];
      count = images.length;
      const batch = stackBatch(images);
      const session = await ort.InferenceSession.create(convertBundledModel(spec).onnx);
      onnx = await session.run({ input: new ort.Tensor('float32', batch, [count, ...spec.inputSize, 3]) });
      const reference = await loadTruncatedReferenceModel(loadNsfwjsModel(nsfwjsModelFiles(spec.source)), spec.layer, spec.inputSize);
      referenceMap = await predictOne(reference, batch, count, spec.inputSize);
    });

    it('gives the same feature map (NHWC)', () => {
      assert.equal(onnx.featureMap.dims[0], count);
      assert.equal(onnx.featureMap.data.length, referenceMap.length);
      assertClose('featureMap', onnx.featureMap.data as Float32Array, referenceMap, 1e-4);
    });

    it('pools that map by GeM into the embedding', () => {
      const [, h, w, channels] = onnx.featureMap.dims as number[];
      const expected = generalisedMean(referenceMap, count, h * w, channels, spec.gemPower);
      assert.deepEqual(onnx.embedding.dims, [count, channels]);
      assertClose('embedding', onnx.embedding.data as Float32Array, expected, 1e-4);
    });

    it('tells the images apart (the parity is not between two constant outputs)', () => {
      const embedding = onnx.embedding.data as Float32Array;
      const channels = embedding.length / count;
      assert.ok(maxAbsDifference(embedding.subarray(0, channels), embedding.subarray(channels, 2 * channels)) > 0.05, 'a digit and a photo should not embed alike');
    });
  });
}
