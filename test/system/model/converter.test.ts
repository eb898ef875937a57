// The converted default model must compute what nsfwjs's TF.js model computes, on real images.
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { convertNsfwjsMobileNetV2 } from '../../../tools/keras-to-onnx/nsfwjs-mobilenet-v2';
import { loadNsfwjsMobileNetV2 } from '../../../tools/keras-to-onnx/nsfwjs-models';
import { skimagePhotos } from '../../fixtures/photos';
import { loadReferenceModel, runReference, spatialMean, type ReferenceOutputs } from './tfjs-reference';
import { INPUT_SIZE, mnistDigits, mnistToModelInput, photoToModelInput, stackBatch } from './sample-inputs';

function maxAbsDifference(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length, 'output sizes differ');
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}

function maxAbs(values: Float32Array): number {
  return values.reduce((worst, value) => Math.max(worst, Math.abs(value)), 0);
}

/** Differences relative to the largest reference activation: float32 rounding grows with magnitude. */
function assertClose(name: string, actual: Float32Array, expected: Float32Array, relativeBound: number): void {
  const difference = maxAbsDifference(actual, expected);
  const scale = Math.max(1, maxAbs(expected));
  console.log(`      ${name}: max |difference| = ${difference.toExponential(2)} (largest activation ${scale.toFixed(2)})`);
  assert.ok(difference <= relativeBound * scale, `${name}: max difference ${difference} exceeds ${relativeBound} x ${scale}`);
}

describe('keras-to-onnx: nsfwjs MobileNetV2 against TF.js', function () {
  // TF.js's pure-JS backend needs about 3 s per image on two cores.
  this.timeout(120_000);

  let imageCount = 0;
  let batch: Float32Array;
  let onnx: ort.InferenceSession.OnnxValueMapType;
  let reference: ReferenceOutputs;
  let session: ort.InferenceSession;

  before(async () => {
    // Two handwritten digits and two photos: flat grey strokes and natural textures stress different filters.
    const [cat, , , rocket] = await skimagePhotos();
    const images = [
      ...(await Promise.all(mnistDigits(3, 1).concat(mnistDigits(7, 1)).map((digit) => mnistToModelInput(digit)))),
      await photoToModelInput(cat),
      await photoToModelInput(rocket),
    ];
    imageCount = images.length;
    batch = stackBatch(images);

    session = await ort.InferenceSession.create(convertNsfwjsMobileNetV2().onnx);
    onnx = await session.run({ input: new ort.Tensor('float32', batch, [imageCount, INPUT_SIZE, INPUT_SIZE, 3]) });
    reference = await runReference(await loadReferenceModel(loadNsfwjsMobileNetV2()), batch, imageCount, INPUT_SIZE);
  });

  const output = (name: string): Float32Array => onnx[name].data as Float32Array;

  it('gives the same class probabilities', () => {
    assert.deepEqual(onnx.probabilities.dims, [imageCount, 5]);
    assertClose('probabilities', output('probabilities'), reference.probabilities, 1e-4);
  });

  it('gives the same 14x14 ImageNet feature map (block_10_project_BN, NHWC)', () => {
    assert.deepEqual(onnx.features_14x14.dims, [imageCount, 14, 14, 96]);
    assertClose('features_14x14', output('features_14x14'), reference.block10ProjectBn, 1e-4);
  });

  it('gives the same 7x7 feature map (out_relu, NHWC)', () => {
    assert.deepEqual(onnx.features_7x7.dims, [imageCount, 7, 7, 1280]);
    assertClose('features_7x7', output('features_7x7'), reference.outRelu, 1e-4);
  });

  it('pools out_relu into embedding and block_10_project_BN into embedding_imagenet', () => {
    assert.deepEqual(onnx.embedding.dims, [imageCount, 1280]);
    assert.deepEqual(onnx.embedding_imagenet.dims, [imageCount, 96]);
    assertClose('embedding', output('embedding'), spatialMean(reference.outRelu, imageCount, 49, 1280), 1e-4);
    assertClose('embedding_imagenet', output('embedding_imagenet'), spatialMean(reference.block10ProjectBn, imageCount, 196, 96), 1e-4);
  });

  it('tells the images apart (the parity is not between two constant outputs)', () => {
    const embedding = output('embedding');
    const first = embedding.subarray(0, 1280);
    const photo = embedding.subarray(2 * 1280, 3 * 1280);
    assert.ok(maxAbsDifference(first, photo) > 0.1, 'a digit and a photo should not embed alike');
  });

  it('accepts any batch size: one image alone gives the same result as inside a batch', async () => {
    const single = await session.run({ input: new ort.Tensor('float32', batch.subarray(0, INPUT_SIZE * INPUT_SIZE * 3), [1, INPUT_SIZE, INPUT_SIZE, 3]) });
    assertClose('batch of 1 vs batch of 4', single.embedding.data as Float32Array, output('embedding').subarray(0, 1280), 1e-5);
  });
});

describe('keras-to-onnx: determinism', () => {
  it('produces identical bytes on every conversion', () => {
    const first = convertNsfwjsMobileNetV2().onnx;
    const second = convertNsfwjsMobileNetV2().onnx;
    assert.ok(first.length > 1_000_000);
    assert.ok(Buffer.from(first).equals(Buffer.from(second)), 'two conversions differ');
  });
});
