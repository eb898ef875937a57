// The classifier-head graph edit used by the catalogue's ResNet and ConvNeXt entries. Their files
// (100-200 MB) cannot be downloaded here, so this runs the edit on a small classifier of the same
// structure that the test builds itself (Conv -> GlobalAveragePool -> Flatten -> Gemm, batch pinned
// to 1 as in those exports), in real onnxruntime.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { exposeClassifierHead } from '../../../src/core/model/classifierHeadEdit';
import { GraphEditError } from '../../../src/core/model/exposeOutputs';

const CHANNELS = 4;
const CLASSES = 5;
const SIDE = 6;

function floatTensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values };
}

function valueInfo(name: string, dims: number[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } } };
}

/** A tiny ImageNet-style classifier with deterministic weights and a fixed batch of 1. */
function tinyClassifier(options: { withReshape?: boolean } = {}): Uint8Array {
  const convWeights = Array.from({ length: CHANNELS * 3 }, (_, i) => Math.sin(i + 1));
  const gemmWeights = Array.from({ length: CLASSES * CHANNELS }, (_, i) => Math.cos(i + 1));
  const nodes: onnx.INodeProto[] = [
    { opType: 'Conv', input: ['x', 'conv_w'], output: ['conv'], name: 'conv' },
    { opType: 'Relu', input: ['conv'], output: ['map'], name: 'relu' },
    { opType: 'GlobalAveragePool', input: ['map'], output: ['pooled'], name: 'pool' },
    { opType: 'Flatten', input: ['pooled'], output: ['flat'], name: 'flatten' },
    { opType: 'Gemm', input: ['flat', 'fc_w', 'fc_b'], output: ['logits'], name: 'fc', attribute: [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
  ];
  const initializer = [
    floatTensor('conv_w', [CHANNELS, 3, 1, 1], convWeights),
    floatTensor('fc_w', [CLASSES, CHANNELS], gemmWeights),
    floatTensor('fc_b', [CLASSES], Array.from({ length: CLASSES }, (_, i) => i / 10)),
  ];
  if (options.withReshape) {
    nodes.splice(3, 1, { opType: 'Reshape', input: ['pooled', 'shape'], output: ['flat'], name: 'reshape' });
    initializer.push({ name: 'shape', dims: [2], dataType: onnx.TensorProto.DataType.INT64, int64Data: [1, CHANNELS] });
  }
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny',
      node: nodes,
      initializer,
      input: [valueInfo('x', [1, 3, SIDE, SIDE])],
      output: [valueInfo('logits', [1, CLASSES])],
      valueInfo: [valueInfo('map', [1, CHANNELS, SIDE, SIDE])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

describe('classifier-head graph edit', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'curator-head-edit-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('exposes the pooled vector and the map, and runs any batch size in onnxruntime', async () => {
    const path = join(work, 'edited.onnx');
    await writeFile(path, exposeClassifierHead(tinyClassifier(), { embeddingSize: CHANNELS, featureMapChannels: CHANNELS, featureMapSide: SIDE }));
    const session = await ort.InferenceSession.create(path);
    try {
      const batch = 3;
      const pixels = Float32Array.from({ length: batch * 3 * SIDE * SIDE }, (_, i) => Math.sin(i * 0.37));
      const result = await session.run({ x: new ort.Tensor('float32', pixels, [batch, 3, SIDE, SIDE]) });
      assert.deepEqual(result.embedding.dims, [batch, CHANNELS]);
      assert.deepEqual(result.featureMap.dims, [batch, CHANNELS, SIDE, SIDE]);
      assert.deepEqual(result.logits.dims, [batch, CLASSES], 'the original output stays');
      const embedding = result.embedding.data as Float32Array;
      const map = result.featureMap.data as Float32Array;
      const area = SIDE * SIDE;
      for (let n = 0; n < batch; n++) {
        for (let c = 0; c < CHANNELS; c++) {
          const offset = (n * CHANNELS + c) * area;
          const mean = map.subarray(offset, offset + area).reduce((sum, v) => sum + v, 0) / area;
          assert.ok(Math.abs(embedding[n * CHANNELS + c] - mean) < 1e-5, 'the embedding is the pooled map');
        }
      }
      assert.notDeepEqual(Array.from(embedding.subarray(0, CHANNELS)), Array.from(embedding.subarray(CHANNELS, 2 * CHANNELS)));
    } finally {
      await session.release();
    }
  });

  it('refuses a graph whose batch dimension is baked into a Reshape', () => {
    assert.throws(
      () => exposeClassifierHead(tinyClassifier({ withReshape: true }), { embeddingSize: CHANNELS, featureMapChannels: CHANNELS, featureMapSide: SIDE }),
      (error: unknown) => error instanceof GraphEditError && /has a Reshape node \(reshape\); its batch dimension cannot be freed safely/.test(error.message),
    );
  });

  it('refuses a graph that does not end in a Gemm classifier, and bytes that are not ONNX', () => {
    const model = onnx.ModelProto.decode(tinyClassifier());
    model.graph!.output = [valueInfo('map', [1, CHANNELS, SIDE, SIDE])];
    assert.throws(() => exposeClassifierHead(onnx.ModelProto.encode(model).finish(), { embeddingSize: 4, featureMapChannels: 4, featureMapSide: SIDE }), /come from a Gemm \(the classifier\), found Relu/);
    assert.throws(() => exposeClassifierHead(new Uint8Array([1, 2, 3, 4, 5]), { embeddingSize: 4, featureMapChannels: 4, featureMapSide: SIDE }), /Not an ONNX model/);
  });
});
