// Conv2D and DepthwiseConv2D, with an optional following BatchNormalization folded into the weights.
import { configValue, type KerasLayer } from './keras-model';
import { layerWeight, requireImage, type ConversionContext } from './conversion-context';
import type { GraphValue } from './onnx-graph-builder';
import { windowPadding } from './padding';

interface OnnxConvWeights {
  /** [out, in / group, kh, kw] */
  kernel: Float32Array;
  bias: Float64Array;
  outChannels: number;
  inPerGroup: number;
  group: number;
}

/** Keras Conv2D kernel [kh, kw, in, out] -> ONNX [out, in, kh, kw]. */
function conv2dWeights(kernel: Float32Array, [kh, kw, inChannels, outChannels]: number[]): OnnxConvWeights {
  const onnxKernel = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < inChannels; i++)
        for (let o = 0; o < outChannels; o++)
          onnxKernel[((o * inChannels + i) * kh + y) * kw + x] = kernel[((y * kw + x) * inChannels + i) * outChannels + o];
  return { kernel: onnxKernel, bias: new Float64Array(outChannels), outChannels, inPerGroup: inChannels, group: 1 };
}

/**
 * Keras depthwise kernel [kh, kw, in, multiplier] -> ONNX grouped conv with group = in and
 * kernel [in * multiplier, 1, kh, kw]; output channel c * multiplier + m, as in TensorFlow.
 */
function depthwiseWeights(kernel: Float32Array, [kh, kw, inChannels, multiplier]: number[]): OnnxConvWeights {
  const outChannels = inChannels * multiplier;
  const onnxKernel = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let c = 0; c < inChannels; c++)
        for (let m = 0; m < multiplier; m++)
          onnxKernel[((c * multiplier + m) * kh + y) * kw + x] = kernel[((y * kw + x) * inChannels + c) * multiplier + m];
  return { kernel: onnxKernel, bias: new Float64Array(outChannels), outChannels, inPerGroup: 1, group: inChannels };
}

/**
 * Inference-time batch norm is y = gamma * (x - mean) / sqrt(variance + epsilon) + beta, a per-channel
 * affine map, so it merges into the convolution: kernel * factor, (bias - mean) * factor + beta.
 * Computed in double precision and rounded once.
 */
function foldBatchNorm(context: ConversionContext, weights: OnnxConvWeights, batchNorm: KerasLayer): void {
  const axis = configValue<number>(batchNorm, 'axis');
  if (axis !== -1 && axis !== 3) throw new Error(`BatchNormalization ${batchNorm.name}: only the channel axis is supported`);
  const epsilon = configValue<number>(batchNorm, 'epsilon');
  const mean = layerWeight(context, batchNorm.name, 'moving_mean').values;
  const variance = layerWeight(context, batchNorm.name, 'moving_variance').values;
  const gamma = batchNorm.config.scale === false ? null : layerWeight(context, batchNorm.name, 'gamma').values;
  const beta = batchNorm.config.center === false ? null : layerWeight(context, batchNorm.name, 'beta').values;
  const perChannel = weights.kernel.length / weights.outChannels;
  for (let o = 0; o < weights.outChannels; o++) {
    const factor = (gamma ? gamma[o] : 1) / Math.sqrt(variance[o] + epsilon);
    for (let k = o * perChannel; k < (o + 1) * perChannel; k++) weights.kernel[k] = weights.kernel[k] * factor;
    weights.bias[o] = (weights.bias[o] - mean[o]) * factor + (beta ? beta[o] : 0);
  }
}

export function convertConvolution(
  context: ConversionContext,
  layer: KerasLayer,
  input: GraphValue,
  foldedBatchNorm: KerasLayer | undefined,
  outputBase: string,
): GraphValue {
  const [inChannels, inHeight, inWidth] = requireImage(input, layer.name);
  const depthwise = layer.class_name === 'DepthwiseConv2D';
  const kernelName = depthwise ? 'depthwise_kernel' : 'kernel';
  const kernel = layerWeight(context, layer.name, kernelName);
  if (kernel.shape[2] !== inChannels) throw new Error(`${layer.name}: kernel expects ${kernel.shape[2]} channels, input has ${inChannels}`);
  const weights = depthwise ? depthwiseWeights(kernel.values, kernel.shape) : conv2dWeights(kernel.values, kernel.shape);

  const useBias = configValue<boolean>(layer, 'use_bias');
  if (useBias) layerWeight(context, layer.name, 'bias').values.forEach((value, o) => (weights.bias[o] = value));
  if (foldedBatchNorm) foldBatchNorm(context, weights, foldedBatchNorm);

  const kernelSize = configValue<[number, number]>(layer, 'kernel_size');
  const strides = configValue<[number, number]>(layer, 'strides');
  const dilations = configValue<[number, number]>(layer, 'dilation_rate');
  const window = windowPadding(configValue<string>(layer, 'padding'), inHeight, inWidth, kernelSize, strides, dilations);

  const { graph } = context;
  const inputs = [input.name, graph.addFloatInitializer(`${layer.name}/kernel`, [weights.outChannels, weights.inPerGroup, ...kernelSize], weights.kernel)];
  if (useBias || foldedBatchNorm) inputs.push(graph.addFloatInitializer(`${layer.name}/bias`, [weights.outChannels], Float32Array.from(weights.bias)));
  const name = graph.addNode('Conv', inputs, { base: outputBase }, {
    kernel_shape: { ints: kernelSize },
    strides: { ints: strides },
    dilations: { ints: dilations },
    pads: { ints: window.pads },
    group: { int: weights.group },
  });
  return { name, shape: [null, weights.outChannels, window.outHeight, window.outWidth] };
}
