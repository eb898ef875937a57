// The bundled model's descriptor must name outputs that exist, with the shapes the engine expects.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { convertDefaultModel } from '../../../tools/keras-to-onnx/default-model';
import { defaultModelDescriptor } from '../../../tools/keras-to-onnx/default-descriptor';

describe('default model descriptor', () => {
  const onnx = convertDefaultModel().onnx;
  const descriptor = defaultModelDescriptor(onnx);

  it('identifies the model by the hash of its bytes', () => {
    const sha256 = createHash('sha256').update(onnx).digest('hex');
    assert.equal(descriptor.sha256, sha256);
    assert.equal(descriptor.id, `mobilenetv2-nsfwjs-${sha256.slice(0, 12)}`);
    assert.equal(descriptor.file, 'model.onnx');
  });

  it('describes an NHWC 224x224 input fed with RGB / 255', () => {
    assert.deepEqual(descriptor.input, { name: 'input', layout: 'NHWC', size: [224, 224], mean: [0, 0, 0], std: [1, 1, 1] });
  });

  it('says honestly what the weights are and under which licence', () => {
    assert.match(descriptor.description ?? '', /ImageNet/);
    assert.match(descriptor.description ?? '', /nsfwjs/);
    assert.match(descriptor.license ?? '', /MIT/);
  });

  it('names outputs that the model has, with [N, D] and [N, h, w, c] shapes', async () => {
    const session = await ort.InferenceSession.create(onnx);
    assert.deepEqual(session.inputNames, [descriptor.input.name]);
    const { embedding, featureMap, featureMapLayout } = descriptor.outputs;
    assert.ok(featureMap, 'the default model provides local features');
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
    // The pooled embedding and the feature map come from the same layer, so their channel counts agree.
    assert.equal(featureDims[3], embeddingDims[1]);
  });
});
