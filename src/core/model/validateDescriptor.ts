// Descriptors come from users and from the network, and a wrong one fails late and obscurely (a
// shape error deep in onnxruntime, or silently wrong embeddings). Every field is checked up front,
// and every message names the descriptor and the field.
import type { ModelDescriptor, TensorLayout } from './descriptor';
import { isSafeModelId, MODEL_ID_RULE } from './modelId';

export class DescriptorError extends Error {
  constructor(
    /** Path or URL of the descriptor. */
    readonly source: string,
    /** Dotted field name, e.g. "input.size"; empty for the whole document. */
    readonly field: string,
    problem: string,
  ) {
    super(`Model descriptor ${source}: ${field ? `field "${field}" ` : ''}${problem}`);
    this.name = 'DescriptorError';
  }
}

const LAYOUTS: readonly TensorLayout[] = ['NHWC', 'NCHW'];
const TOP_LEVEL_FIELDS = ['id', 'name', 'file', 'sha256', 'input', 'outputs', 'description', 'license'];
const INPUT_FIELDS = ['name', 'layout', 'size', 'mean', 'std'];
const OUTPUT_FIELDS = ['embedding', 'featureMap', 'featureMapLayout'];
const MAX_INPUT_SIDE = 16384;

/** Parses descriptor JSON text; `source` (a path or URL) is named in every error. */
export function parseDescriptor(text: string, source: string, options: { requireSha256?: boolean } = {}): ModelDescriptor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DescriptorError(source, '', `is not valid JSON (${(error as Error).message})`);
  }
  return validateDescriptor(value, source, options);
}

/** Checks that `value` is a complete, well-formed ModelDescriptor and returns a clean copy of it. */
export function validateDescriptor(value: unknown, source: string, options: { requireSha256?: boolean } = {}): ModelDescriptor {
  const fail = (field: string, problem: string): never => {
    throw new DescriptorError(source, field, problem);
  };
  const root = objectAt(value, '', TOP_LEVEL_FIELDS, fail);

  const id = stringAt(root.id, 'id', fail);
  if (!isSafeModelId(id)) fail('id', `must use ${MODEL_ID_RULE}, got ${JSON.stringify(id)}`);
  const descriptor: ModelDescriptor = {
    id,
    name: stringAt(root.name, 'name', fail),
    file: stringAt(root.file, 'file', fail),
    input: validateInput(root.input, fail),
    outputs: validateOutputs(root.outputs, fail),
  };

  if (root.sha256 !== undefined) {
    const sha256 = stringAt(root.sha256, 'sha256', fail).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha256)) fail('sha256', `must be 64 hex digits, got ${JSON.stringify(root.sha256)}`);
    descriptor.sha256 = sha256;
  } else if (options.requireSha256) {
    fail('sha256', 'is required for a descriptor loaded from a URL, so the downloaded file can be verified');
  }
  if (root.description !== undefined) descriptor.description = stringAt(root.description, 'description', fail);
  if (root.license !== undefined) descriptor.license = stringAt(root.license, 'license', fail);
  return descriptor;
}

type Fail = (field: string, problem: string) => never;

function validateInput(value: unknown, fail: Fail): ModelDescriptor['input'] {
  const input = objectAt(value, 'input', INPUT_FIELDS, fail);
  const size = numberTupleAt(input.size, 'input.size', 2, fail);
  if (!size.every((side) => Number.isInteger(side) && side >= 1 && side <= MAX_INPUT_SIDE)) {
    fail('input.size', `must be [height, width] with positive integers up to ${MAX_INPUT_SIDE}, got ${JSON.stringify(input.size)}`);
  }
  const mean = numberTupleAt(input.mean, 'input.mean', 3, fail);
  const std = numberTupleAt(input.std, 'input.std', 3, fail);
  if (!std.every((s) => s > 0)) fail('input.std', `must be three positive numbers (pixels are divided by them), got ${JSON.stringify(input.std)}`);
  return {
    name: stringAt(input.name, 'input.name', fail),
    layout: layoutAt(input.layout, 'input.layout', fail),
    size: [size[0], size[1]],
    mean: [mean[0], mean[1], mean[2]],
    std: [std[0], std[1], std[2]],
  };
}

function validateOutputs(value: unknown, fail: Fail): ModelDescriptor['outputs'] {
  const outputs = objectAt(value, 'outputs', OUTPUT_FIELDS, fail);
  const result: ModelDescriptor['outputs'] = { embedding: stringAt(outputs.embedding, 'outputs.embedding', fail) };
  const hasMap = outputs.featureMap !== undefined;
  const hasLayout = outputs.featureMapLayout !== undefined;
  if (hasMap !== hasLayout) {
    fail(hasMap ? 'outputs.featureMapLayout' : 'outputs.featureMap', 'must be given together with the other: featureMap names the output, featureMapLayout says how to read it');
  }
  if (hasMap) {
    result.featureMap = stringAt(outputs.featureMap, 'outputs.featureMap', fail);
    result.featureMapLayout = layoutAt(outputs.featureMapLayout, 'outputs.featureMapLayout', fail);
  }
  return result;
}

function objectAt(value: unknown, field: string, allowed: readonly string[], fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, `must be a JSON object, got ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) fail(join(field, key), `is not a known field (known: ${allowed.join(', ')})`);
  }
  return record;
}

function stringAt(value: unknown, field: string, fail: Fail): string {
  if (value === undefined) fail(field, 'is missing');
  if (typeof value !== 'string' || value.trim() === '') fail(field, `must be a non-empty string, got ${describe(value)}`);
  return value as string;
}

function numberTupleAt(value: unknown, field: string, length: number, fail: Fail): number[] {
  if (value === undefined) fail(field, 'is missing');
  if (!Array.isArray(value) || value.length !== length || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    fail(field, `must be an array of ${length} finite numbers, got ${describe(value)}`);
  }
  return value as number[];
}

function layoutAt(value: unknown, field: string, fail: Fail): TensorLayout {
  if (value === undefined) fail(field, 'is missing');
  if (!LAYOUTS.includes(value as TensorLayout)) fail(field, `must be ${LAYOUTS.map((l) => `"${l}"`).join(' or ')}, got ${describe(value)}`);
  return value as TensorLayout;
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
