// Keras activations (as a layer's `activation` or as ReLU / Activation layers) as ONNX nodes.
import { isImage, type ConversionContext } from './conversion-context';
import type { GraphValue } from './onnx-graph-builder';

/** Applies a named Keras activation; 'linear' adds nothing. */
export function applyActivation(context: ConversionContext, input: GraphValue, activation: string, outputBase: string): GraphValue {
  const { graph } = context;
  const output = { base: outputBase };
  switch (activation) {
    case 'linear':
      return input;
    case 'relu':
      return { name: graph.addNode('Relu', [input.name], output), shape: input.shape };
    case 'relu6':
      return clip(context, input, 0, 6, outputBase);
    case 'sigmoid':
      return { name: graph.addNode('Sigmoid', [input.name], output), shape: input.shape };
    case 'tanh':
      return { name: graph.addNode('Tanh', [input.name], output), shape: input.shape };
    case 'softmax':
      // Keras normalises over the last axis, which is the channel axis (1) in our NCHW images.
      return {
        name: graph.addNode('Softmax', [input.name], output, { axis: { int: isImage(input) ? 1 : -1 } }),
        shape: input.shape,
      };
    default:
      throw new Error(`Activation ${activation} is not supported`);
  }
}

/**
 * The Keras ReLU layer: f(x) = min(max_value, x) for x >= threshold, negative_slope * (x - threshold)
 * otherwise. Only the plain ReLU and ReLU6 forms occur in the models we convert.
 */
export function convertReluLayer(
  context: ConversionContext,
  input: GraphValue,
  config: { max_value?: number | null; negative_slope?: number; threshold?: number },
  outputBase: string,
): GraphValue {
  if ((config.negative_slope ?? 0) !== 0 || (config.threshold ?? 0) !== 0) {
    throw new Error(`ReLU ${outputBase}: negative_slope and threshold other than 0 are not supported`);
  }
  if (config.max_value === null || config.max_value === undefined) return applyActivation(context, input, 'relu', outputBase);
  return clip(context, input, 0, config.max_value, outputBase);
}

function clip(context: ConversionContext, input: GraphValue, min: number, max: number, outputBase: string): GraphValue {
  const { graph } = context;
  // Since opset 11 Clip takes its bounds as scalar tensor inputs, not attributes.
  const minName = graph.addFloatInitializer(`${outputBase}/min`, [], Float32Array.of(min));
  const maxName = graph.addFloatInitializer(`${outputBase}/max`, [], Float32Array.of(max));
  return { name: graph.addNode('Clip', [input.name, minName, maxName], { base: outputBase }), shape: input.shape };
}
