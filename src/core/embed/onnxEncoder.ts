// Runs a model descriptor's ONNX graph on batches of decoded images and returns one embedding per image.

import * as ort from 'onnxruntime-node';
import type { ModelDescriptor } from '../model/descriptor';
import { openSession } from './executionProvider';
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

  static async open(descriptor: ModelDescriptor, onnxPath: string, setting: ExecutionProviderSetting): Promise<OnnxEncoder> {
    const opened = await openSession(onnxPath, setting);
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
    const { input, outputs } = this.descriptor;
    const [height, width] = input.size;
    const batch = new Float32Array(images.length * this.inputLength);
    images.forEach((image, i) => batch.set(image, i * this.inputLength));
    const dims = input.layout === 'NHWC' ? [images.length, height, width, 3] : [images.length, 3, height, width];
    const result = await this.session.run({ [input.name]: new ort.Tensor('float32', batch, dims) }, [outputs.embedding]);
    const output = result[outputs.embedding];
    const values = output.data as Float32Array;
    const dim = values.length / images.length;
    if (!Number.isInteger(dim) || output.dims[0] !== images.length) {
      throw new Error(`Output "${outputs.embedding}" has shape [${output.dims.join(', ')}]; expected [${images.length}, D].`);
    }
    this.dim = dim;
    // Copy each row out: the session may reuse the output buffer on the next run.
    return images.map((_, i) => values.slice(i * dim, (i + 1) * dim));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
