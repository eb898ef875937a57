// The visual-language expert of the long-tail mixture (METHODS.md section 4): CLIP-style zero-shot
// classification. Each class name becomes a text prompt ("a photo of a {class}"), the text encoder
// embeds the prompts once, and an image's class probabilities are the softmax of its cosine
// similarity to each prompt divided by a temperature. Nothing is trained, so its predictions on
// labelled images are out-of-sample and it can speak for classes with very few labels.
// The image side is an ordinary model descriptor (the image tower), embedded and cached like any
// other model; this file pairs its cached embeddings with the text tower.
import type { ModelSource } from '../../embed/types';
import { softmaxInto } from '../../math/probabilities';
import type { VectorRows } from '../../math/vectorRows';
import { PromptTokenizer } from './promptTokenizer';
import { DEFAULT_CONTEXT_LENGTH, TextEncoder } from './textEncoder';

export interface VisionLanguageSettings {
  /** The image tower: a model descriptor (like curator.model) whose embeddings are cached. */
  imageModel: ModelSource;
  /** The text tower: an ONNX file (int64 token ids in, one embedding per prompt out). */
  textEncoder: string;
  /** One token per line (see PromptTokenizer). */
  vocabulary: string;
  /** "{class}" is replaced by the class name. */
  promptTemplate?: string;
  /** Softmax temperature on cosine similarities; CLIP's learnt logit scale of 100 is 0.01. */
  temperature?: number;
}

export const ZERO_SHOT_DEFAULTS = { promptTemplate: 'a photo of a {class}', temperature: 0.01 };

/** "golden_retriever" -> "a photo of a golden retriever": folder names often join words with _ or -. */
export function classPrompt(template: string, className: string): string {
  if (!template.includes('{class}')) throw new Error(`The prompt template "${template}" must contain {class}.`);
  return template.split('{class}').join(className.replace(/[_-]+/g, ' ').trim());
}

/** Embeds one prompt per class with the text tower: [classes, D]. */
export async function embedClassPrompts(settings: VisionLanguageSettings, classNames: readonly string[]): Promise<VectorRows> {
  const tokenizer = await PromptTokenizer.fromFile(settings.vocabulary);
  const encoder = await TextEncoder.open(settings.textEncoder);
  try {
    const template = settings.promptTemplate ?? ZERO_SHOT_DEFAULTS.promptTemplate;
    const tokens = tokenizer.encode(classNames.map((name) => classPrompt(template, name)), encoder.fixedContextLength ?? DEFAULT_CONTEXT_LENGTH);
    return await encoder.encode(tokens);
  } finally {
    await encoder.dispose();
  }
}

/** p(class | image) = softmax_c(cos(image, prompt_c) / temperature), [rows, classes]. */
export function zeroShotProbabilities(images: VectorRows, prompts: VectorRows, temperature: number): Float64Array {
  if (images.width !== prompts.width) {
    throw new Error(
      `The image encoder's embeddings have ${images.width} dimensions but the text encoder's have ${prompts.width}: ` +
        'the two towers must come from the same CLIP-style model.',
    );
  }
  if (!(temperature > 0)) throw new Error(`The zero-shot temperature must be above 0 (got ${temperature}).`);
  const classes = prompts.rows;
  const width = images.width;
  const promptNorms = rowNorms(prompts);
  const imageNorms = rowNorms(images);
  const out = new Float64Array(images.rows * classes);
  const logits = new Float64Array(classes);
  for (let row = 0; row < images.rows; row++) {
    for (let c = 0; c < classes; c++) {
      let dot = 0;
      for (let d = 0; d < width; d++) dot += images.data[row * width + d] * prompts.data[c * width + d];
      logits[c] = dot / (imageNorms[row] * promptNorms[c] * temperature);
    }
    softmaxInto(logits, out.subarray(row * classes, (row + 1) * classes));
  }
  return out;
}

/** Euclidean length of each row; a zero row counts as 1 so it gives cosine 0 to everything. */
function rowNorms(rows: VectorRows): Float64Array {
  const norms = new Float64Array(rows.rows);
  for (let r = 0; r < rows.rows; r++) {
    let sum = 0;
    for (let d = 0; d < rows.width; d++) sum += rows.data[r * rows.width + d] ** 2;
    norms[r] = Math.sqrt(sum) || 1;
  }
  return norms;
}
