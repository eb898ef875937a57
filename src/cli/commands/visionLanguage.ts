// The CLI flags that configure the zero-shot visual-language expert of `suggest --method moe`:
// a CLIP-style image tower (a model descriptor, resolved like --model), its text tower (ONNX) and
// the text tower's vocabulary. All three or none.
import { resolve } from 'node:path';
import type { VisionLanguageSettings } from '../../core/suggest/zeroShot/zeroShotExpert';
import { UsageError, type ParsedArgs } from '../args';
import { modelSource } from '../context';

export const VISION_LANGUAGE_FLAGS = ['clip-image-model', 'clip-text-encoder', 'clip-vocab', 'clip-prompt', 'clip-temperature'] as const;

export function visionLanguageSettings(args: ParsedArgs): VisionLanguageSettings | undefined {
  const required = ['clip-image-model', 'clip-text-encoder', 'clip-vocab'] as const;
  const given = required.filter((name) => args.values.has(name));
  const extras = ['clip-prompt', 'clip-temperature'].filter((name) => args.values.has(name));
  if (given.length === 0) {
    if (extras.length > 0) throw new UsageError(`--${extras[0]} needs --clip-image-model, --clip-text-encoder and --clip-vocab.`);
    return undefined;
  }
  if (given.length < required.length) {
    const missing = required.filter((name) => !args.values.has(name));
    throw new UsageError(`The zero-shot expert needs --clip-image-model, --clip-text-encoder and --clip-vocab together; missing ${missing.map((m) => `--${m}`).join(', ')}.`);
  }
  const temperatureText = args.values.get('clip-temperature');
  const temperature = temperatureText === undefined ? undefined : Number(temperatureText);
  if (temperature !== undefined && !(Number.isFinite(temperature) && temperature > 0 && temperature <= 10)) {
    throw new UsageError(`--clip-temperature must be a number above 0 and at most 10 (got "${temperatureText}").`);
  }
  const prompt = args.values.get('clip-prompt');
  if (prompt !== undefined && !prompt.includes('{class}')) throw new UsageError(`--clip-prompt must contain {class} (got "${prompt}").`);
  return {
    imageModel: modelSource({ positional: [], values: new Map([['model', args.values.get('clip-image-model')!]]), switches: new Set() }),
    textEncoder: resolve(args.values.get('clip-text-encoder')!),
    vocabulary: resolve(args.values.get('clip-vocab')!),
    promptTemplate: prompt,
    temperature,
  };
}
