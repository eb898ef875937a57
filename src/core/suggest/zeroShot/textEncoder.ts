// Runs the text tower of a CLIP-style model: token ids in, one embedding per prompt out.
// Contract with the ONNX file: its first input takes int64 token ids [batch, context]; an input
// named `attention_mask`, when present, gets 1 on tokens and 0 on padding; the output named
// `text_embeds` (or else the first output) is [batch, D]. A [batch, context, D] output is read at
// each prompt's end token, which is where CLIP pools its text features.
import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { TokenizedPrompts } from './promptTokenizer';

/** CLIP's context length, used when the model's input does not fix one. */
export const DEFAULT_CONTEXT_LENGTH = 77;

export class TextEncoder {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly path: string,
    /** The context length the model's ids input requires, when its shape fixes one. */
    readonly fixedContextLength: number | undefined,
  ) {}

  static async open(path: string): Promise<TextEncoder> {
    if (!existsSync(path)) throw new Error(`The text encoder ${path} does not exist. Set the text encoder to a CLIP-style text tower exported to ONNX.`);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'] });
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new Error(`The text encoder ${path} could not be loaded: it is damaged or not an ONNX model (${reason}).`);
    }
    const ids = session.inputMetadata[0];
    if (!ids || !ids.isTensor || ids.type !== 'int64') {
      await session.release();
      throw new Error(`The text encoder ${path} must take int64 token ids as its first input (its first input is ${ids?.name ?? 'missing'}${ids?.isTensor ? `, ${ids.type}` : ''}).`);
    }
    const context = ids.shape[1];
    return new TextEncoder(session, path, typeof context === 'number' && context > 0 ? context : undefined);
  }

  /** One row of `D` floats per prompt. Blocks this thread while it runs (small: a few prompts). */
  async encode(tokens: TokenizedPrompts): Promise<{ data: Float32Array; rows: number; width: number }> {
    const rows = tokens.endPositions.length;
    const shape = [rows, tokens.contextLength];
    const feeds: Record<string, ort.Tensor> = { [this.session.inputNames[0]]: new ort.Tensor('int64', tokens.ids, shape) };
    if (this.session.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', tokens.attentionMask, shape);
    const outputName = this.session.outputNames.includes('text_embeds') ? 'text_embeds' : this.session.outputNames[0];
    let output: ort.Tensor;
    try {
      output = (await this.session.run(feeds))[outputName];
    } catch (error) {
      throw new Error(`The text encoder ${this.path} failed on ${rows} prompts of ${tokens.contextLength} tokens: ${(error as Error).message.split('\n')[0]}`);
    }
    const dims = output.dims;
    const values = output.data as Float32Array;
    if (output.type !== 'float32' || dims[0] !== rows || (dims.length !== 2 && dims.length !== 3)) {
      throw new Error(`The text encoder ${this.path} must output float32 [prompts, D] (or [prompts, tokens, D]); its output ${outputName} is ${output.type} [${dims.join(', ')}].`);
    }
    const width = dims[dims.length - 1];
    if (dims.length === 2) return { data: Float32Array.from(values), rows, width };
    const pooled = new Float32Array(rows * width);
    tokens.endPositions.forEach((end, row) => pooled.set(values.subarray((row * dims[1] + end) * width, (row * dims[1] + end + 1) * width), row * width));
    return { data: pooled, rows, width };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
