// The small ONNX graphs that run selection's heavy linear algebra through onnxruntime (MLAS on CPU,
// CUDA when present). Every dimension is symbolic, so one file serves any pool size and width.
// Names of inputs and outputs are part of the contract with src/core/select/kernels/onnxKernels.ts.
import { onnx } from 'onnx-proto';

const OPSET_VERSION = 13;
/** The newest IR version onnx-proto's schema (ONNX 1.10) describes. */
const IR_VERSION = 8;

export interface KernelGraph {
  file: string;
  bytes: Uint8Array;
}

type Dim = string | number;

function tensorInfo(name: string, dims: Dim[], elemType: number = onnx.TensorProto.DataType.FLOAT): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })) },
      },
    },
  };
}

function node(opType: string, input: string[], output: string | string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  const outputs = typeof output === 'string' ? [output] : output;
  return { opType, name: outputs[0], input, output: outputs, attribute };
}

const intAttribute = (name: string, i: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });

function encode(name: string, doc: string, parts: { inputs: onnx.IValueInfoProto[]; outputs: onnx.IValueInfoProto[]; nodes: onnx.INodeProto[]; initializers?: onnx.ITensorProto[] }): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: 'dataset-curator build-kernels',
    producerVersion: '1',
    docString: doc,
    graph: { name, node: parts.nodes, input: parts.inputs, output: parts.outputs, initializer: parts.initializers ?? [] },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * distance[i] = min(current[i], 1 - max_j points[i] . queries[j]).
 * With unit-length rows this is the cosine distance to the nearest query, folded into a running
 * minimum: FreeSel's D update and k-center greedy's coverage update in one pass over the pool.
 */
export function minCosineDistanceGraph(): KernelGraph {
  const one: onnx.ITensorProto = { name: 'one', dims: [], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [1] };
  const bytes = encode('min_cosine_distance', 'Running minimum of cosine distances from pool rows to query rows.', {
    inputs: [tensorInfo('points', ['n', 'd']), tensorInfo('queries', ['m', 'd']), tensorInfo('current', ['n'])],
    outputs: [tensorInfo('distance', ['n'])],
    initializers: [one],
    nodes: [
      // Gemm with transB reads the queries row-major as they are; MLAS transposes inside its packing.
      node('Gemm', ['points', 'queries'], 'similarity', [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]),
      node('ReduceMax', ['similarity'], 'nearest', [
        { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
        { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
      ]),
      node('Sub', ['one', 'nearest'], 'fresh'),
      node('Min', ['current', 'fresh'], 'distance'),
    ],
  });
  return { file: 'min_cosine_distance.onnx', bytes };
}

/** product = a . b + bias (a: [n, k], b: [k, m], bias: [m]): head forward passes over the pool. */
export function gemmGraph(): KernelGraph {
  const bytes = encode('gemm', 'Dense layer: a . b + bias.', {
    inputs: [tensorInfo('a', ['n', 'k']), tensorInfo('b', ['k', 'm']), tensorInfo('bias', ['m'])],
    outputs: [tensorInfo('product', ['n', 'm'])],
    nodes: [node('Gemm', ['a', 'b', 'bias'], 'product')],
  });
  return { file: 'gemm.onnx', bytes };
}

/**
 * top = the `k` largest entries of each row of a . b + bias, largest first ([n, k]; k a one-element
 * int64 tensor, at most m): nearest neighbours by dot product without the [n, m] block leaving
 * onnxruntime (TypiClust's typicality; with a bias of -Infinity on excluded columns, ProbCover's
 * nearest point of another pseudo-label).
 */
export function gemmTopKGraph(): KernelGraph {
  const bytes = encode('gemm_top_k', 'The k largest entries of each row of a . b + bias, in descending order.', {
    inputs: [tensorInfo('a', ['n', 'k']), tensorInfo('b', ['k', 'm']), tensorInfo('bias', ['m']), tensorInfo('count', [1], onnx.TensorProto.DataType.INT64)],
    outputs: [tensorInfo('top', ['n', 't'])],
    nodes: [node('Gemm', ['a', 'b', 'bias'], 'product'), node('TopK', ['product', 'count'], ['top', 'top_index'], [intAttribute('axis', 1), intAttribute('largest', 1), intAttribute('sorted', 1)])],
  });
  return { file: 'gemm_top_k.onnx', bytes };
}

/** index = argmax over each row of a . b + bias (the first on ties): k-means assignment. */
export function gemmArgMaxGraph(): KernelGraph {
  const bytes = encode('gemm_arg_max', 'Index of the largest entry of each row of a . b + bias.', {
    inputs: [tensorInfo('a', ['n', 'k']), tensorInfo('b', ['k', 'm']), tensorInfo('bias', ['m'])],
    outputs: [tensorInfo('index', ['n'], onnx.TensorProto.DataType.INT64)],
    nodes: [node('Gemm', ['a', 'b', 'bias'], 'product'), node('ArgMax', ['product'], 'index', [intAttribute('axis', 1), intAttribute('keepdims', 0), intAttribute('select_last_index', 0)])],
  });
  return { file: 'gemm_arg_max.onnx', bytes };
}

export function allKernelGraphs(): KernelGraph[] {
  return [minCosineDistanceGraph(), gemmGraph(), gemmTopKGraph(), gemmArgMaxGraph()];
}
