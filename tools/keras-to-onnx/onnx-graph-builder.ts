// Accumulates ONNX nodes and initialisers and serialises them with onnx-proto.
// Everything is emitted in insertion order, so the same conversion always yields the same bytes.
import { onnx } from 'onnx-proto';

export const OPSET_VERSION = 13;
/** IR version 8 is the newest that onnx-proto's schema (ONNX 1.10) describes. */
const IR_VERSION = 8;

/** ONNX attributes are typed; the wrapper says which type is meant instead of guessing from the number. */
export type AttributeValue = { int: number } | { ints: number[] } | { float: number };

/** A value in the graph with its shape; `null` marks the dynamic batch dimension. */
export interface GraphValue {
  name: string;
  shape: Array<number | null>;
}

export class OnnxGraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly usedNames = new Set<string>();

  /** A graph-wide unique name derived from `base` (Keras layer names are reused for readability). */
  uniqueName(base: string): string {
    let name = base;
    for (let suffix = 1; this.usedNames.has(name); suffix++) name = `${base}_${suffix}`;
    this.usedNames.add(name);
    return name;
  }

  /** A graph input; float32 unless told otherwise (token ids are int64). */
  addInput(name: string, shape: Array<number | null>, elemType: onnx.TensorProto.DataType = onnx.TensorProto.DataType.FLOAT): GraphValue {
    this.usedNames.add(name);
    this.inputs.push(valueInfo(name, shape, elemType));
    return { name, shape };
  }

  markOutput(value: GraphValue): void {
    this.outputs.push(valueInfo(value.name, value.shape));
  }

  addFloatInitializer(baseName: string, dims: number[], values: Float32Array): string {
    const name = this.uniqueName(baseName);
    if (dims.reduce((product, dim) => product * dim, 1) !== values.length) {
      throw new Error(`Initializer ${name}: ${values.length} values do not fill dims [${dims}]`);
    }
    // ONNX raw_data is little-endian whatever the host's byte order.
    const raw = new Uint8Array(values.length * 4);
    const view = new DataView(raw.buffer);
    values.forEach((value, i) => view.setFloat32(i * 4, value, true));
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw });
    return name;
  }

  addInt64Initializer(baseName: string, values: number[]): string {
    const name = this.uniqueName(baseName);
    this.initializers.push({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values });
    return name;
  }

  /** Keeps `name` free for a graph output that is created later under exactly that name. */
  reserveName(name: string): void {
    if (this.usedNames.has(name)) throw new Error(`Name ${name} is already used`);
    this.usedNames.add(name);
  }

  /**
   * Adds a single-output node and returns its output name: `output` made unique, or `output`
   * itself when it was reserved with reserveName().
   */
  addNode(
    opType: string,
    inputs: string[],
    output: { base: string } | { reserved: string },
    attributes: Record<string, AttributeValue> = {},
  ): string {
    const outputName = 'reserved' in output ? output.reserved : this.uniqueName(output.base);
    this.nodes.push({
      opType,
      name: outputName,
      input: inputs,
      output: [outputName],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return outputName;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  encode(graphName: string, docString: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET_VERSION }],
      producerName: 'dataset-curator keras-to-onnx',
      producerVersion: '1',
      docString,
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, shape: Array<number | null>, elemType: onnx.TensorProto.DataType = onnx.TensorProto.DataType.FLOAT): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((dim) => (dim === null ? { dimParam: 'batch' } : { dimValue: dim })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  const type = onnx.AttributeProto.AttributeType;
  if ('ints' in value) return { name, type: type.INTS, ints: value.ints };
  if ('int' in value) return { name, type: type.INT, i: value.int };
  return { name, type: type.FLOAT, f: value.float };
}
