// Graph edits that expose tensors a published model computes but does not output, such as the
// pooled vector before an ImageNet classifier. No weight is touched: the edit only appends a few
// nodes (dequantise, flatten, identity) and declares new graph outputs.
import { onnx } from 'onnx-proto';

/** One new output: a float tensor already in the graph, or a quantised one to dequantise first. */
export interface ExposedOutput {
  /** Name of the new graph output. */
  name: string;
  /** Tensor in the graph to expose. */
  tensor: string;
  /** For a quantised tensor: the names of its scale and zero point (DequantizeLinear inputs). */
  dequantize?: { scale: string; zeroPoint: string };
  /** Flatten to [batch, rest] (e.g. a pooled [N, C, 1, 1] map to [N, C]). */
  flatten?: boolean;
  /** Shape of the new output with null for the batch dimension, declared in the graph. */
  shape: Array<number | null>;
}

export class GraphEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphEditError';
  }
}

/** Returns the model's bytes with the requested outputs added (existing outputs stay). */
export function exposeOutputs(modelBytes: Uint8Array, outputs: readonly ExposedOutput[]): Uint8Array {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(modelBytes);
  } catch (error) {
    throw new GraphEditError(`Not an ONNX model: ${(error as Error).message}`);
  }
  const graph = model.graph;
  if (!graph) throw new GraphEditError('The ONNX model has no graph');
  const known = knownTensorNames(graph);
  for (const output of outputs) {
    if (known.has(output.name)) throw new GraphEditError(`The model already has a tensor named ${output.name}`);
    for (const name of [output.tensor, output.dequantize?.scale, output.dequantize?.zeroPoint]) {
      if (name !== undefined && !known.has(name)) throw new GraphEditError(`The model has no tensor named ${name}; it is not the expected file`);
    }
    let source = output.tensor;
    const steps: Array<(input: string, result: string) => onnx.INodeProto> = [];
    if (output.dequantize) {
      const { scale, zeroPoint } = output.dequantize;
      steps.push((input, result) => ({ opType: 'DequantizeLinear', input: [input, scale, zeroPoint], output: [result] }));
    }
    if (output.flatten) {
      steps.push((input, result) => ({ opType: 'Flatten', input: [input], output: [result], attribute: [intAttribute('axis', 1)] }));
    }
    if (steps.length === 0) steps.push((input, result) => ({ opType: 'Identity', input: [input], output: [result] }));
    steps.forEach((step, index) => {
      const result = index === steps.length - 1 ? output.name : `${output.name}/step${index}`;
      (graph.node ??= []).push(onnx.NodeProto.create({ ...step(source, result), name: result }));
      source = result;
    });
    (graph.output ??= []).push(floatValueInfo(output.name, output.shape));
    known.add(output.name);
  }
  return onnx.ModelProto.encode(model).finish();
}

function knownTensorNames(graph: onnx.IGraphProto): Set<string> {
  const names = new Set<string>();
  for (const value of graph.input ?? []) if (value.name) names.add(value.name);
  for (const tensor of graph.initializer ?? []) if (tensor.name) names.add(tensor.name);
  for (const node of graph.node ?? []) for (const name of node.output ?? []) names.add(name);
  return names;
}

function intAttribute(name: string, value: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

function floatValueInfo(name: string, shape: Array<number | null>): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: shape.map((dim) => (dim === null ? { dimParam: 'batch' } : { dimValue: dim })) },
      },
    },
  };
}
