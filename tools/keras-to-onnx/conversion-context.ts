// State shared by the layer converters while one model is converted.
import type { FloatTensor } from './dequantize';
import type { GraphValue, OnnxGraphBuilder } from './onnx-graph-builder';

export interface ConversionContext {
  graph: OnnxGraphBuilder;
  weights: Map<string, FloatTensor>;
}

/** The TF.js weight `<layer>/<variable>`; a missing weight is a broken model, never a default. */
export function layerWeight(context: ConversionContext, layerName: string, variable: string): FloatTensor {
  const weight = context.weights.get(`${layerName}/${variable}`);
  if (!weight) throw new Error(`Weight ${layerName}/${variable} is missing from the manifest`);
  return weight;
}

/**
 * Inside the graph, image tensors are NCHW ([batch, channels, height, width]) because that is what
 * ONNX Conv and pooling expect; vectors are [batch, features].
 */
export function isImage(value: GraphValue): boolean {
  return value.shape.length === 4;
}

export function requireImage(value: GraphValue, layerName: string): [number, number, number] {
  if (!isImage(value)) throw new Error(`Layer ${layerName} needs an image input, got shape [${value.shape}]`);
  const [, channels, height, width] = value.shape as [null, number, number, number];
  return [channels, height, width];
}
