// Every bundled model's descriptor must name outputs that exist, with the shapes the engine expects.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { BUNDLED_MODELS as SELECTABLE_MODELS } from '../../../src/core/model/bundledModels';
import { BUNDLED_MODELS, bundledModelDescriptor, convertBundledModel } from '../../../tools/keras-to-onnx/bundled-models';

describe('bundled models', () => {
  it('are built for exactly the settings the extension and CLI can select', () => {
    assert.deepEqual(BUNDLED_MODELS.map((spec) => spec.setting).sort(), SELECTABLE_MODELS.map((model) => model.setting).sort());
  });
});

for (const spec of BUNDLED_MODELS) {
  describe(`bundled model "${spec.setting}" descriptor`, function () {
    this.timeout(60_000);
    const onnx = convertBundledModel(spec).onnx;
    const descriptor = bundledModelDescriptor(spec, onnx);

    it('identifies the model by the hash of its bytes', () => {
      const sha256 = createHash('sha256').update(onnx).digest('hex');
      assert.equal(descriptor.sha256, sha256);
      assert.equal(descriptor.id, `${spec.idPrefix}-${sha256.slice(0, 12)}`);
      assert.equal(descriptor.file, 'model.onnx');
    });

    it('describes an NHWC input of its size fed with RGB / 255', () => {
      assert.deepEqual(descriptor.input, { name: 'input', layout: 'NHWC', size: spec.inputSize, mean: [0, 0, 0], std: [1, 1, 1] });
    });

    it('says honestly what the weights are and under which licence', () => {
      assert.match(descriptor.description ?? '', /ImageNet/);
      assert.match(descriptor.description ?? '', /nsfwjs/);
      assert.match(descriptor.license ?? '', /MIT/);
    });

    it('names outputs that the model has, with [N, D] and [N, h, w, c] shapes, from the same layer', async () => {
      const session = await ort.InferenceSession.create(onnx);
      assert.deepEqual(session.inputNames, [descriptor.input.name]);
      const { embedding, featureMap, featureMapLayout } = descriptor.outputs;
      assert.ok(featureMap, 'the bundled model provides local features');
      assert.equal(featureMapLayout, 'NHWC');

      const [height, width] = descriptor.input.size;
      const pixels = new Float32Array(2 * height * width * 3).fill(0.5);
      const result = await session.run({ [descriptor.input.name]: new ort.Tensor('float32', pixels, [2, height, width, 3]) });
      const embeddingDims = result[embedding].dims;
      const featureDims = result[featureMap].dims;
      assert.equal(embeddingDims.length, 2);
      assert.equal(embeddingDims[0], 2);
      assert.equal(featureDims.length, 4);
      assert.equal(featureDims[0], 2);
      assert.equal(featureDims[3], embeddingDims[1]);
    });
  });
}
