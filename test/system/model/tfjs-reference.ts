// Runs nsfwjs's original TF.js model (pure-JS CPU backend) as the reference for the conversion.
import * as tf from '@tensorflow/tfjs';
import type { KerasModelArtifacts } from '../../../tools/keras-to-onnx/keras-model';

export interface ReferenceOutputs {
  /** [N, 14, 14, 96] NHWC */
  block10ProjectBn: Float32Array;
  /** [N, 7, 7, 1280] NHWC */
  outRelu: Float32Array;
  /** [N, 5] */
  probabilities: Float32Array;
}

/** Loads the model from memory through a custom IO handler, so TF.js reads exactly the artifacts we convert. */
export async function loadReferenceModel(artifacts: KerasModelArtifacts): Promise<tf.LayersModel> {
  await tf.setBackend('cpu');
  const weightData = artifacts.weightData.slice().buffer;
  return tf.loadLayersModel({
    load: async () => ({
      modelTopology: artifacts.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: artifacts.weightSpecs as tf.io.WeightsManifestEntry[],
      weightData,
    }),
  });
}

export async function runReference(model: tf.LayersModel, batch: Float32Array, count: number, size: number): Promise<ReferenceOutputs> {
  const probe = tf.model({
    inputs: model.inputs,
    outputs: ['block_10_project_BN', 'out_relu'].map((name) => model.getLayer(name).output as tf.SymbolicTensor).concat(model.outputs),
  });
  const input = tf.tensor4d(batch, [count, size, size, 3]);
  const outputs = probe.predict(input) as tf.Tensor[];
  const [block10ProjectBn, outRelu, probabilities] = await Promise.all(outputs.map((output) => output.data() as Promise<Float32Array>));
  tf.dispose([input, ...outputs]);
  return { block10ProjectBn, outRelu, probabilities };
}

/** Mean over the spatial positions of an NHWC map: what GlobalAveragePooling2D computes. */
export function spatialMean(map: Float32Array, count: number, positions: number, channels: number): Float32Array {
  const pooled = new Float32Array(count * channels);
  for (let n = 0; n < count; n++)
    for (let p = 0; p < positions; p++)
      for (let c = 0; c < channels; c++) pooled[n * channels + c] += map[(n * positions + p) * channels + c] / positions;
  return pooled;
}

/**
 * The part of a Keras model that computes `layer`, rebuilt for another input size, as TF.js sees
 * it: the topology keeps only the layers `layer` depends on, and the weights of the rest are
 * ignored (non-strict load).
 */
export async function loadTruncatedReferenceModel(artifacts: KerasModelArtifacts, layer: string, inputSize: [number, number]): Promise<tf.LayersModel> {
  await tf.setBackend('cpu');
  const config = artifacts.modelTopology.model_config.config;
  const byName = new Map(config.layers.map((entry) => [entry.name, entry]));
  const needed = new Set<string>();
  const pending = [layer];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (needed.has(name)) continue;
    needed.add(name);
    for (const inbound of byName.get(name)?.inbound_nodes[0] ?? []) pending.push(inbound[0]);
  }
  const layers = config.layers
    .filter((entry) => needed.has(entry.name))
    .map((entry) =>
      entry.class_name === 'InputLayer' ? { ...entry, config: { ...entry.config, batch_input_shape: [null, ...inputSize, 3] } } : entry,
    );
  const topology = {
    ...artifacts.modelTopology,
    model_config: { ...artifacts.modelTopology.model_config, config: { ...config, layers, output_layers: [[layer, 0, 0]] } },
  };
  const weightData = artifacts.weightData.slice().buffer;
  return tf.loadLayersModel(
    {
      load: async () => ({
        modelTopology: topology as unknown as tf.io.ModelArtifacts['modelTopology'],
        weightSpecs: artifacts.weightSpecs as tf.io.WeightsManifestEntry[],
        weightData,
      }),
    },
    { strict: false },
  );
}

export async function predictOne(model: tf.LayersModel, batch: Float32Array, count: number, size: [number, number]): Promise<Float32Array> {
  const input = tf.tensor4d(batch, [count, size[0], size[1], 3]);
  const output = model.predict(input) as tf.Tensor;
  const data = (await output.data()) as Float32Array;
  tf.dispose([input, output]);
  return data;
}
