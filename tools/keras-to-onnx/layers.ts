// One converter per Keras layer class. Each takes the already converted inputs and returns the
// layer's output value; convolutions live in convolution.ts because of batch-norm folding.
import { configValue, type KerasLayer } from './keras-model';
import { isImage, layerWeight, requireImage, type ConversionContext } from './conversion-context';
import type { GraphValue } from './onnx-graph-builder';
import { applyActivation, convertReluLayer } from './activations';
import { windowPadding, zeroPaddingAmounts } from './padding';

export function convertZeroPadding(context: ConversionContext, layer: KerasLayer, input: GraphValue): GraphValue {
  const [channels, height, width] = requireImage(input, layer.name);
  const [[top, bottom], [left, right]] = zeroPaddingAmounts(layer.config.padding);
  // Pad (opset 13) takes begins then ends for every axis of NCHW; constant mode pads with zeros.
  const pads = context.graph.addInt64Initializer(`${layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  return {
    name: context.graph.addNode('Pad', [input.name, pads], { base: layer.name }, {}),
    shape: [null, channels, height + top + bottom, width + left + right],
  };
}

/** A batch norm that could not be folded into a convolution (ONNX BatchNormalization normalises axis 1). */
export function convertBatchNorm(context: ConversionContext, layer: KerasLayer, input: GraphValue): GraphValue {
  const axis = configValue<number>(layer, 'axis');
  if (axis !== -1 && !(isImage(input) && axis === 3) && !(!isImage(input) && axis === 1)) {
    throw new Error(`BatchNormalization ${layer.name}: only the channel axis is supported`);
  }
  const channels = input.shape[1] as number;
  const { graph } = context;
  const variable = (name: string, enabled: boolean, fallback: number): string =>
    graph.addFloatInitializer(
      `${layer.name}/${name}`,
      [channels],
      enabled ? layerWeight(context, layer.name, name).values : new Float32Array(channels).fill(fallback),
    );
  const inputs = [
    input.name,
    variable('gamma', layer.config.scale !== false, 1),
    variable('beta', layer.config.center !== false, 0),
    variable('moving_mean', true, 0),
    variable('moving_variance', true, 1),
  ];
  const epsilon = configValue<number>(layer, 'epsilon');
  return { name: graph.addNode('BatchNormalization', inputs, { base: layer.name }, { epsilon: { float: epsilon } }), shape: input.shape };
}

export function convertAdd(context: ConversionContext, layer: KerasLayer, inputs: GraphValue[]): GraphValue {
  const shape = inputs[0].shape;
  if (inputs.some((value) => value.shape.join() !== shape.join())) {
    throw new Error(`Add ${layer.name}: input shapes differ (${inputs.map((value) => `[${value.shape}]`).join(' ')})`);
  }
  const op = inputs.length === 2 ? 'Add' : 'Sum';
  return { name: context.graph.addNode(op, inputs.map((value) => value.name), { base: layer.name }), shape };
}

/** Keras concatenates channels-last images on axis 3 (or -1): that is the channel axis 1 in NCHW. */
export function convertConcatenate(context: ConversionContext, layer: KerasLayer, inputs: GraphValue[]): GraphValue {
  const axis = configValue<number>(layer, 'axis');
  const images = inputs.every(isImage);
  if (!(images && (axis === 3 || axis === -1)) && !(!images && (axis === 1 || axis === -1))) {
    throw new Error(`Concatenate ${layer.name}: only the channel axis is supported, got axis ${axis}`);
  }
  const [first] = inputs;
  const spatial = first.shape.slice(2).join();
  if (inputs.some((value) => value.shape.slice(2).join() !== spatial || value.shape.length !== first.shape.length)) {
    throw new Error(`Concatenate ${layer.name}: input shapes differ (${inputs.map((value) => `[${value.shape}]`).join(' ')})`);
  }
  const channels = inputs.reduce((sum, value) => sum + (value.shape[1] as number), 0);
  return {
    name: context.graph.addNode('Concat', inputs.map((value) => value.name), { base: layer.name }, { axis: { int: 1 } }),
    shape: [null, channels, ...first.shape.slice(2)],
  };
}

export function convertPooling(context: ConversionContext, layer: KerasLayer, input: GraphValue): GraphValue {
  const [channels, height, width] = requireImage(input, layer.name);
  const poolSize = configValue<[number, number]>(layer, 'pool_size');
  const strides = (layer.config.strides as [number, number] | null | undefined) ?? poolSize;
  const window = windowPadding(configValue<string>(layer, 'padding'), height, width, poolSize, strides);
  // Keras averages only over real pixels at padded borders; ONNX's count_include_pad=0 (the default) matches.
  const op = layer.class_name === 'AveragePooling2D' ? 'AveragePool' : 'MaxPool';
  const name = context.graph.addNode(op, [input.name], { base: layer.name }, {
    kernel_shape: { ints: poolSize },
    strides: { ints: strides },
    pads: { ints: window.pads },
  });
  return { name, shape: [null, channels, window.outHeight, window.outWidth] };
}

/** GlobalAveragePool keeps 1x1 spatial dims; Flatten drops them to give Keras's [batch, channels]. */
export function globalAveragePool(context: ConversionContext, input: GraphValue, output: { base: string } | { reserved: string }): GraphValue {
  const [channels] = requireImage(input, input.name);
  const pooled = context.graph.addNode('GlobalAveragePool', [input.name], { base: `${input.name}/global_pool` });
  return { name: context.graph.addNode('Flatten', [pooled], output, { axis: { int: 1 } }), shape: [null, channels] };
}

/**
 * Generalised-mean (GeM) pooling, (mean over pixels of x^p)^(1/p) per channel: between average
 * (p = 1) and max pooling (p -> infinity). Inputs must be non-negative (ReLU maps); tiny values are
 * clipped so the power stays defined.
 */
export function generalisedMeanPool(context: ConversionContext, input: GraphValue, power: number, output: { base: string } | { reserved: string }): GraphValue {
  const [channels] = requireImage(input, input.name);
  const { graph } = context;
  const base = `${input.name}/gem`;
  const floor = graph.addFloatInitializer(`${base}/floor`, [], new Float32Array([1e-6]));
  const exponent = graph.addFloatInitializer(`${base}/p`, [], new Float32Array([power]));
  const inverse = graph.addFloatInitializer(`${base}/inverse_p`, [], new Float32Array([1 / power]));
  const clipped = graph.addNode('Max', [input.name, floor], { base: `${base}/clip` });
  const raised = graph.addNode('Pow', [clipped, exponent], { base: `${base}/pow` });
  const pooled = graph.addNode('GlobalAveragePool', [raised], { base: `${base}/mean` });
  const flat = graph.addNode('Flatten', [pooled], { base: `${base}/flat` }, { axis: { int: 1 } });
  return { name: graph.addNode('Pow', [flat, inverse], output), shape: [null, channels] };
}

/** Keras flattens channels-last images, so go back to NHWC before flattening (a no-op for 1x1 maps). */
export function convertFlatten(context: ConversionContext, layer: KerasLayer, input: GraphValue): GraphValue {
  if (!isImage(input)) return input;
  const [channels, height, width] = requireImage(input, layer.name);
  const source = height * width === 1 ? input.name : toNhwc(context, input, { base: `${layer.name}/nhwc` }).name;
  return {
    name: context.graph.addNode('Flatten', [source], { base: layer.name }, { axis: { int: 1 } }),
    shape: [null, channels * height * width],
  };
}

export function convertDense(context: ConversionContext, layer: KerasLayer, input: GraphValue): GraphValue {
  if (input.shape.length !== 2) throw new Error(`Dense ${layer.name} needs a [batch, features] input, got [${input.shape}]`);
  const kernel = layerWeight(context, layer.name, 'kernel');
  const [inFeatures, units] = kernel.shape;
  if (inFeatures !== input.shape[1]) throw new Error(`Dense ${layer.name}: kernel expects ${inFeatures} features, got ${input.shape[1]}`);
  const { graph } = context;
  // Keras's kernel is already [in, units], the B operand of Gemm without transposition.
  const inputs = [input.name, graph.addFloatInitializer(`${layer.name}/kernel`, kernel.shape, kernel.values)];
  if (configValue<boolean>(layer, 'use_bias')) {
    inputs.push(graph.addFloatInitializer(`${layer.name}/bias`, [units], layerWeight(context, layer.name, 'bias').values));
  }
  const activation = configValue<string>(layer, 'activation');
  const linear = { name: graph.addNode('Gemm', inputs, { base: activation === 'linear' ? layer.name : `${layer.name}/linear` }), shape: [null, units] };
  return applyActivation(context, linear, activation, layer.name);
}

export function convertActivationLayer(context: ConversionContext, layer: KerasLayer, input: GraphValue): GraphValue {
  if (layer.class_name === 'ReLU') {
    return convertReluLayer(context, input, layer.config as { max_value?: number | null; negative_slope?: number; threshold?: number }, layer.name);
  }
  return applyActivation(context, input, configValue<string>(layer, 'activation'), layer.name);
}

/** Returns an NHWC tensor: only for graph outputs and Flatten, never as input to another converter. */
export function toNhwc(context: ConversionContext, input: GraphValue, output: { base: string } | { reserved: string }): GraphValue {
  const [channels, height, width] = requireImage(input, input.name);
  return {
    name: context.graph.addNode('Transpose', [input.name], output, { perm: { ints: [0, 2, 3, 1] } }),
    shape: [null, height, width, channels],
  };
}
