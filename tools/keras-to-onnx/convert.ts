// Converts a TF.js Keras-layers functional model into an ONNX model.
// The graph input stays NHWC like the Keras model; it is transposed to NCHW once, inside the graph.
import { inboundLayerNames, type KerasLayer, type KerasModelArtifacts } from './keras-model';
import { dequantizeWeights } from './dequantize';
import type { ConversionContext } from './conversion-context';
import { OnnxGraphBuilder, type GraphValue } from './onnx-graph-builder';
import { convertConvolution } from './convolution';
import {
  convertActivationLayer,
  convertAdd,
  convertBatchNorm,
  convertConcatenate,
  convertDense,
  convertFlatten,
  convertPooling,
  convertZeroPadding,
  generalisedMeanPool,
  globalAveragePool,
  toNhwc,
} from './layers';

/** A named graph output taken from a Keras layer's output. */
export interface OutputSpec {
  name: string;
  layer: string;
  /**
   * 'nhwc': an image in Keras's own layout; 'pooled': its global average, [batch, channels];
   * 'gem': its generalised mean with power `power` (default 3), [batch, channels]; 'as-is': a vector output unchanged.
   */
  form: 'nhwc' | 'pooled' | 'gem' | 'as-is';
  power?: number;
}

export interface ConversionOptions {
  inputName: string;
  graphName: string;
  docString: string;
  outputs: OutputSpec[];
  /** [height, width] to build the graph for instead of the Keras model's own input size (fully convolutional parts only). */
  inputSize?: [number, number];
}

export interface ConvertedModel {
  onnx: Uint8Array;
  nodeCount: number;
}

const convolutionClasses = new Set(['Conv2D', 'DepthwiseConv2D']);

export function convertKerasToOnnx(artifacts: KerasModelArtifacts, options: ConversionOptions): ConvertedModel {
  const { layers, input_layers: inputLayers } = artifacts.modelTopology.model_config.config;
  if (inputLayers.length !== 1) throw new Error(`Expected one input layer, found ${inputLayers.length}`);
  const layerByName = new Map(layers.map((layer) => [layer.name, layer]));
  const needed = layersNeededFor(options.outputs.map((output) => output.layer), layerByName);
  const observed = new Set(options.outputs.map((output) => output.layer));
  const foldedInto = batchNormsToFold(layers.filter((layer) => needed.has(layer.name)), layerByName, observed);

  const graph = new OnnxGraphBuilder();
  const context: ConversionContext = { graph, weights: dequantizeWeights(artifacts.weightSpecs, artifacts.weightData) };
  for (const output of options.outputs) graph.reserveName(output.name);

  const values = new Map<string, GraphValue>();
  for (const layer of layers) {
    if (!needed.has(layer.name) || values.has(layer.name)) continue;
    const inputs = inboundLayerNames(layer).map((name) => {
      const value = values.get(name);
      if (!value) throw new Error(`Layer ${layer.name} comes before its input ${name}; the layer list is not topologically ordered`);
      return value;
    });
    if (layer.class_name === 'InputLayer') {
      values.set(layer.name, convertInput(graph, layer, options.inputName, options.inputSize));
      continue;
    }
    const batchNorm = foldedInto.get(layer.name);
    if (batchNorm) {
      // The convolution's own output is never observed, so it carries the batch norm's name.
      values.set(batchNorm.name, convertConvolution(context, layer, inputs[0], batchNorm, batchNorm.name));
      continue;
    }
    values.set(layer.name, convertLayer(context, layer, inputs));
  }

  for (const output of options.outputs) {
    const value = values.get(output.layer);
    if (!value) throw new Error(`Output ${output.name}: layer ${output.layer} does not exist`);
    graph.markOutput(convertOutput(context, value, output));
  }
  return { onnx: graph.encode(options.graphName, options.docString), nodeCount: graph.nodeCount };
}

function convertLayer(context: ConversionContext, layer: KerasLayer, inputs: GraphValue[]): GraphValue {
  const [input] = inputs;
  switch (layer.class_name) {
    case 'Conv2D':
    case 'DepthwiseConv2D': {
      const linear = convertConvolution(context, layer, input, undefined, layer.name);
      return convertActivationLayer(context, { ...layer, class_name: 'Activation' }, linear);
    }
    case 'ZeroPadding2D':
      return convertZeroPadding(context, layer, input);
    case 'BatchNormalization':
      return convertBatchNorm(context, layer, input);
    case 'ReLU':
    case 'Activation':
      return convertActivationLayer(context, layer, input);
    case 'Add':
      return convertAdd(context, layer, inputs);
    case 'Concatenate':
      return convertConcatenate(context, layer, inputs);
    case 'AveragePooling2D':
    case 'MaxPooling2D':
      return convertPooling(context, layer, input);
    case 'GlobalAveragePooling2D':
      return globalAveragePool(context, input, { base: layer.name });
    case 'Flatten':
      return convertFlatten(context, layer, input);
    case 'Dense':
      return convertDense(context, layer, input);
    case 'Dropout':
      // Dropout only acts while training.
      return input;
    default:
      throw new Error(`Layer ${layer.name}: class ${layer.class_name} is not supported`);
  }
}

function convertInput(graph: OnnxGraphBuilder, layer: KerasLayer, inputName: string, inputSize?: [number, number]): GraphValue {
  const shape = layer.config.batch_input_shape as Array<number | null> | undefined;
  if (!shape || shape.length !== 4 || shape.slice(1).some((dim) => typeof dim !== 'number')) {
    throw new Error(`Input ${layer.name}: expected a fixed-size NHWC image input, got ${JSON.stringify(shape)}`);
  }
  const [, kerasHeight, kerasWidth, channels] = shape as [null, number, number, number];
  const [height, width] = inputSize ?? [kerasHeight, kerasWidth];
  const input = graph.addInput(inputName, [null, height, width, channels]);
  const name = graph.addNode('Transpose', [input.name], { base: `${inputName}/nchw` }, { perm: { ints: [0, 3, 1, 2] } });
  return { name, shape: [null, channels, height, width] };
}

function convertOutput(context: ConversionContext, value: GraphValue, output: OutputSpec): GraphValue {
  const reserved = { reserved: output.name };
  if (output.form === 'nhwc') return toNhwc(context, value, reserved);
  if (output.form === 'pooled') return globalAveragePool(context, value, reserved);
  if (output.form === 'gem') return generalisedMeanPool(context, value, output.power ?? 3, reserved);
  if (value.shape.length !== 2) throw new Error(`Output ${output.name}: layer ${output.layer} is not a vector; ask for 'nhwc' or 'pooled'`);
  return { name: context.graph.addNode('Identity', [value.name], reserved), shape: value.shape };
}

/** Layers the requested outputs depend on; the rest (e.g. an unused classifier head) is left out. */
function layersNeededFor(outputLayers: string[], layerByName: Map<string, KerasLayer>): Set<string> {
  const needed = new Set<string>();
  const pending = [...outputLayers];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (needed.has(name)) continue;
    const layer = layerByName.get(name);
    if (!layer) throw new Error(`Layer ${name} does not exist`);
    needed.add(name);
    pending.push(...inboundLayerNames(layer));
  }
  return needed;
}

/**
 * A batch norm folds into the convolution feeding it when that convolution has no activation of
 * its own and nothing else (another layer or a graph output) reads its output.
 * Returns convolution name -> batch norm layer.
 */
function batchNormsToFold(layers: KerasLayer[], layerByName: Map<string, KerasLayer>, observed: Set<string>): Map<string, KerasLayer> {
  const consumers = new Map<string, number>();
  for (const layer of layers) for (const name of inboundLayerNames(layer)) consumers.set(name, (consumers.get(name) ?? 0) + 1);
  const folds = new Map<string, KerasLayer>();
  for (const layer of layers) {
    if (layer.class_name !== 'BatchNormalization') continue;
    const [sourceName] = inboundLayerNames(layer);
    const source = layerByName.get(sourceName);
    if (source && convolutionClasses.has(source.class_name) && source.config.activation === 'linear' &&
      consumers.get(sourceName) === 1 && !observed.has(sourceName)) {
      folds.set(sourceName, layer);
    }
  }
  return folds;
}
