// A graph edit for float ImageNet classifiers that end in
//   ... -> map [N,C,h,w] -> GlobalAveragePool -> (LayerNorm, Transpose, ...) -> Flatten -> Gemm -> logits
// (torchvision ResNet and ConvNeXt exports): the Gemm's input becomes output `embedding` and the
// pooling's input output `featureMap`. The head is found by structure, not by tensor names, which
// differ between exports; a graph without exactly that shape is refused with a clear error.
// It also frees the batch dimension, which such exports pin to 1: their graphs hold no node that
// depends on it (no Reshape with a constant shape), which the edit checks.
import { onnx } from 'onnx-proto';
import { exposeOutputs, GraphEditError } from './exposeOutputs';

export interface ClassifierHeadShape {
  embeddingSize: number;
  featureMapChannels: number;
  /** Side of the square feature map at the descriptor's input size (7 at 224 for a stride-32 network). */
  featureMapSide: number;
}

/** Ops whose output shape could bake in a batch of 1; a graph with any of them keeps its fixed batch and is refused. */
const BATCH_SENSITIVE_OPS = new Set(['Reshape', 'Expand', 'ConstantOfShape', 'Tile']);

export function exposeClassifierHead(modelBytes: Uint8Array, shape: ClassifierHeadShape): Uint8Array {
  const model = decode(modelBytes);
  const graph = model.graph as onnx.GraphProto;
  const producers = new Map<string, onnx.INodeProto>();
  for (const node of graph.node) for (const output of node.output ?? []) producers.set(output, node);

  const logits = graph.output[0]?.name;
  const head = logits ? producers.get(logits) : undefined;
  if (!head || head.opType !== 'Gemm') {
    throw new GraphEditError(`Expected the model's first output to come from a Gemm (the classifier), found ${head?.opType ?? 'no node'}`);
  }
  const embeddingTensor = head.input?.[0];
  const pools = graph.node.filter((node) => node.opType === 'GlobalAveragePool');
  if (!embeddingTensor || pools.length !== 1) {
    throw new GraphEditError(`Expected one GlobalAveragePool before the classifier, found ${pools.length}`);
  }
  const featureMapTensor = pools[0].input?.[0] as string;
  const sensitive = graph.node.find((node) => BATCH_SENSITIVE_OPS.has(node.opType ?? ''));
  if (sensitive) throw new GraphEditError(`The graph has a ${sensitive.opType} node (${sensitive.name}); its batch dimension cannot be freed safely`);

  freeBatchDimension(graph);
  const edited = onnx.ModelProto.encode(model).finish();
  return exposeOutputs(edited, [
    { name: 'embedding', tensor: embeddingTensor, flatten: true, shape: [null, shape.embeddingSize] },
    { name: 'featureMap', tensor: featureMapTensor, shape: [null, shape.featureMapChannels, shape.featureMapSide, shape.featureMapSide] },
  ]);
}

function decode(modelBytes: Uint8Array): onnx.ModelProto {
  try {
    const model = onnx.ModelProto.decode(modelBytes);
    if (!model.graph) throw new Error('no graph');
    return model;
  } catch (error) {
    throw new GraphEditError(`Not an ONNX model: ${(error as Error).message}`);
  }
}

/** Inputs and outputs get a symbolic batch; intermediate shapes recorded at export (batch 1) are dropped. */
function freeBatchDimension(graph: onnx.GraphProto): void {
  const initializers = new Set(graph.initializer.map((tensor) => tensor.name));
  for (const value of [...graph.input.filter((input) => !initializers.has(input.name)), ...graph.output]) {
    const dims = value.type?.tensorType?.shape?.dim;
    if (dims && dims.length > 0) dims[0] = onnx.TensorShapeProto.Dimension.create({ dimParam: 'batch' });
  }
  graph.valueInfo = [];
}
