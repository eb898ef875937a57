// Runs a model descriptor's ONNX graph on batches of decoded images and returns one embedding per image.

import * as ort from 'onnxruntime-node';
import type { ModelDescriptor } from '../model/descriptor';
import { openSession, type SessionThreads } from './executionProvider';
import type { ExecutionProviderName, ExecutionProviderSetting } from './types';

export class OnnxEncoder {
  /** Embedding length, known after the first batch. */
  dim: number | undefined;

  private constructor(
    readonly descriptor: ModelDescriptor,
    readonly provider: ExecutionProviderName,
    readonly providerNote: string,
    private readonly session: ort.InferenceSession,
  ) {}

  static async open(descriptor: ModelDescriptor, onnxPath: string, setting: ExecutionProviderSetting, threads?: SessionThreads): Promise<OnnxEncoder> {
    let opened;
    try {
      opened = await openSession(onnxPath, setting, threads);
    } catch (error) {
      throw describeLoadFailure(error, descriptor, onnxPath);
    }
    const { input, outputs } = descriptor;
    if (!opened.session.inputNames.includes(input.name)) {
      throw new Error(`Model ${descriptor.id} has no input named "${input.name}" (it has: ${opened.session.inputNames.join(', ')}).`);
    }
    if (!opened.session.outputNames.includes(outputs.embedding)) {
      throw new Error(`Model ${descriptor.id} has no output named "${outputs.embedding}" (it has: ${opened.session.outputNames.join(', ')}).`);
    }
    return new OnnxEncoder(descriptor, opened.provider, opened.note, opened.session);
  }

  /** Floats in one image's input tensor. */
  get inputLength(): number {
    return this.descriptor.input.size[0] * this.descriptor.input.size[1] * 3;
  }

  /** Embeds a batch; images are decoded tensors in the descriptor's layout. Blocks this thread while it runs. */
  async embed(images: Float32Array[]): Promise<Float32Array[]> {
    return (await this.encode(images, false)).embeddings;
  }

  /** True when the descriptor names a local feature map output that the model has. */
  get hasFeatureMap(): boolean {
    const name = this.descriptor.outputs.featureMap;
    return name !== undefined && this.session.outputNames.includes(name);
  }

  /**
   * Embeds a batch and, when asked and the model has one, also returns each image's local feature
   * map as `positions` vectors of `channels` floats in position-major (NHWC) order.
   */
  async encode(images: Float32Array[], withFeatureMap: boolean): Promise<EncodedBatch> {
    const { input, outputs } = this.descriptor;
    const [height, width] = input.size;
    const batch = new Float32Array(images.length * this.inputLength);
    images.forEach((image, i) => batch.set(image, i * this.inputLength));
    const dims = input.layout === 'NHWC' ? [images.length, height, width, 3] : [images.length, 3, height, width];
    const fetchMap = withFeatureMap && this.hasFeatureMap;
    const names = fetchMap ? [outputs.embedding, outputs.featureMap!] : [outputs.embedding];
    const result = await this.session.run({ [input.name]: new ort.Tensor('float32', batch, dims) }, names);
    const output = result[outputs.embedding];
    const values = output.data as Float32Array;
    const dim = values.length / images.length;
    if (!Number.isInteger(dim) || output.dims[0] !== images.length) {
      throw new Error(`Output "${outputs.embedding}" has shape [${output.dims.join(', ')}]; expected [${images.length}, D].`);
    }
    this.dim = dim;
    // Copy each row out: the session may reuse the output buffer on the next run.
    const embeddings = images.map((_, i) => values.slice(i * dim, (i + 1) * dim));
    if (!fetchMap) return { embeddings };
    return { embeddings, featureMaps: splitFeatureMap(result[outputs.featureMap!], images.length, this.descriptor.outputs.featureMapLayout ?? 'NHWC') };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * onnxruntime says only "Load model from <path> failed:Protobuf parsing failed." for a damaged
 * file; the user needs to know which model it is and that retrying will not help.
 */
function describeLoadFailure(error: unknown, descriptor: ModelDescriptor, onnxPath: string): unknown {
  const text = error instanceof Error ? error.message : String(error);
  const failure = /^Load model from .* failed:\s*(.*)$/s.exec(text.split('\n')[0]);
  if (!failure) return error;
  const reason = failure[1].replace(/\.$/, '') || 'unknown reason';
  return new Error(
    `The ONNX file of model ${descriptor.id} could not be loaded (${reason}): ${onnxPath} is damaged or not an ONNX model. ` +
      'Replace the file, or set curator.model to another model.',
  );
}

export interface FeatureMaps {
  /** One [positions, channels] position-major array per image. */
  perImage: Float32Array[];
  positions: number;
  channels: number;
}

export interface EncodedBatch {
  embeddings: Float32Array[];
  featureMaps?: FeatureMaps;
}

function splitFeatureMap(tensor: ort.Tensor, count: number, layout: 'NHWC' | 'NCHW'): FeatureMaps {
  if (tensor.dims.length !== 4 || tensor.dims[0] !== count) {
    throw new Error(`Feature map output has shape [${tensor.dims.join(', ')}]; expected [${count}, h, w, c] or [${count}, c, h, w].`);
  }
  const values = tensor.data as Float32Array;
  const [, a, b, c] = tensor.dims.map(Number);
  const channels = layout === 'NHWC' ? c : a;
  const positions = layout === 'NHWC' ? a * b : b * c;
  const size = positions * channels;
  const perImage = Array.from({ length: count }, (_, i) => {
    const image = values.subarray(i * size, (i + 1) * size);
    if (layout === 'NHWC') return image.slice();
    const transposed = new Float32Array(size);
    for (let ch = 0; ch < channels; ch++) for (let p = 0; p < positions; p++) transposed[p * channels + ch] = image[ch * positions + p];
    return transposed;
  });
  return { perImage, positions, channels };
}
