// A CLIP-style model small enough to write by hand, for testing the zero-shot expert's plumbing
// (no real CLIP weights can be had here). Three "concepts" live on the axes of a 3-d space:
//  - the image tower averages an image's RGB values: a red picture embeds near (1, 0, 0);
//  - the text tower averages per-token vectors: "red" is (1, 0, 0), "green" (0, 1, 0), "blue"
//    (0, 0, 1), the filler words of the prompt a small (0.05, 0.05, 0.05), padding zero.
// So "a photo of a red" lies near the red images, and zero-shot classification of colour patches
// works with no labels at all. Both are real ONNX files run by onnxruntime.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { OnnxGraphBuilder } from '../../../tools/keras-to-onnx/onnx-graph-builder';

export const TINY_VOCABULARY = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'a', 'photo', 'of', 'red', 'green', 'blue', '##dish', 'sky'];
export const TINY_CONTEXT_LENGTH = 8;
export const TINY_IMAGE_SIZE = 4;

const CONCEPTS: Record<string, [number, number, number]> = { red: [1, 0, 0], green: [0, 1, 0], blue: [0, 0, 1], sky: [0, 0.2, 1] };
const FILLER: [number, number, number] = [0.05, 0.05, 0.05];

export interface TinyClipFiles {
  imageDescriptor: string;
  textEncoder: string;
  vocabulary: string;
}

/** Text tower: ids [batch, 8] -> Gather(table) -> mean over tokens -> text_embeds [batch, 3]. */
export function tinyTextEncoderBytes(width = 3): Uint8Array {
  const builder = new OnnxGraphBuilder();
  const ids = builder.addInput('input_ids', [null, TINY_CONTEXT_LENGTH], onnx.TensorProto.DataType.INT64);
  const table = new Float32Array(TINY_VOCABULARY.length * width);
  TINY_VOCABULARY.forEach((token, id) => {
    const vector = CONCEPTS[token] ?? (['a', 'photo', 'of', '##dish'].includes(token) ? FILLER : [0, 0, 0]);
    for (let d = 0; d < Math.min(width, 3); d++) table[id * width + d] = vector[d];
  });
  const tableName = builder.addFloatInitializer('token_table', [TINY_VOCABULARY.length, width], table);
  const tokens = builder.addNode('Gather', [tableName, ids.name], { base: 'token_vectors' }, { axis: { int: 0 } });
  builder.reserveName('text_embeds');
  const pooled = builder.addNode('ReduceMean', [tokens], { reserved: 'text_embeds' }, { axes: { ints: [1] }, keepdims: { int: 0 } });
  builder.markOutput({ name: pooled, shape: [null, width] });
  return builder.encode('tiny_text_tower', 'Hand-set text tower for tests.');
}

/** Image tower: pixels NHWC [batch, 4, 4, 3] -> mean over positions -> embedding [batch, 3]. */
export function tinyImageEncoderBytes(): Uint8Array {
  const builder = new OnnxGraphBuilder();
  const pixels = builder.addInput('pixels', [null, TINY_IMAGE_SIZE, TINY_IMAGE_SIZE, 3]);
  builder.reserveName('embedding');
  const pooled = builder.addNode('ReduceMean', [pixels.name], { reserved: 'embedding' }, { axes: { ints: [1, 2] }, keepdims: { int: 0 } });
  builder.markOutput({ name: pooled, shape: [null, 3] });
  return builder.encode('tiny_image_tower', 'Hand-set image tower for tests: mean colour.');
}

/** Writes the two towers, the image tower's descriptor and the vocabulary into `dir`. */
export async function writeTinyClip(dir: string): Promise<TinyClipFiles> {
  await mkdir(dir, { recursive: true });
  const files: TinyClipFiles = { imageDescriptor: join(dir, 'image.json'), textEncoder: join(dir, 'text.onnx'), vocabulary: join(dir, 'vocab.txt') };
  await writeFile(join(dir, 'image.onnx'), tinyImageEncoderBytes());
  await writeFile(
    files.imageDescriptor,
    JSON.stringify({
      id: 'tiny-clip-image',
      name: 'Tiny CLIP-style image tower (tests)',
      file: 'image.onnx',
      input: { name: 'pixels', layout: 'NHWC', size: [TINY_IMAGE_SIZE, TINY_IMAGE_SIZE], mean: [0, 0, 0], std: [1, 1, 1] },
      outputs: { embedding: 'embedding' },
    }),
  );
  await writeFile(files.textEncoder, tinyTextEncoderBytes());
  await writeFile(files.vocabulary, TINY_VOCABULARY.join('\n') + '\n');
  return files;
}
