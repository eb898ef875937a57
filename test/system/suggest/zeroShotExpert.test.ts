// The zero-shot visual-language expert's plumbing with a tiny hand-set CLIP-style model built here
// (tinyClipModels.ts; no real CLIP weights exist on this machine): tokenizer -> text encoder
// (onnxruntime) -> cosine similarity -> probabilities, its place in the mixture, and the errors
// a user sees for missing or broken files.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import type { VectorRows } from '../../../src/core/math/vectorRows';
import { LongTailMixture } from '../../../src/core/suggest/longTail/longTailMixture';
import type { LabelledPool } from '../../../src/core/suggest/types';
import { PromptTokenizer } from '../../../src/core/suggest/zeroShot/promptTokenizer';
import { classPrompt, embedClassPrompts, zeroShotProbabilities, type VisionLanguageSettings } from '../../../src/core/suggest/zeroShot/zeroShotExpert';
import { tempDir } from '../../support/paths';
import { TINY_CONTEXT_LENGTH, TINY_VOCABULARY, tinyTextEncoderBytes, writeTinyClip, type TinyClipFiles } from './tinyClipModels';

const COLOURS = ['blue', 'green', 'red'];

function settingsFor(files: TinyClipFiles, overrides: Partial<VisionLanguageSettings> = {}): VisionLanguageSettings {
  return { imageModel: { setting: files.imageDescriptor, bundledDir: '', storageDir: '' }, textEncoder: files.textEncoder, vocabulary: files.vocabulary, ...overrides };
}

/** Mean colours of noisy patches of each class, as the tiny image tower would embed them. */
function colourEmbeddings(truth: Int32Array, seed: number): VectorRows {
  const random = new SeededRandom(seed);
  const axis: Record<string, number> = { red: 0, green: 1, blue: 2 };
  const data = new Float32Array(truth.length * 3);
  truth.forEach((c, row) => {
    for (let d = 0; d < 3; d++) data[row * 3 + d] = 0.2 + 0.15 * random.normal() + (d === axis[COLOURS[c]] ? 0.5 : 0);
  });
  return { data, rows: truth.length, width: 3 };
}

describe('zero-shot visual-language expert', function () {
  this.timeout(60_000);
  let cleanup: () => Promise<void>;
  let dir: string;
  let files: TinyClipFiles;

  before(async () => {
    ({ dir, cleanup } = await tempDir('zero-shot'));
    files = await writeTinyClip(join(dir, 'clip'));
  });
  after(() => cleanup());

  describe('PromptTokenizer', () => {
    const tokenizer = new PromptTokenizer(TINY_VOCABULARY);
    const id = (token: string) => TINY_VOCABULARY.indexOf(token);

    it('wraps each prompt in start and end tokens, pads to the context length and masks the padding', () => {
      const tokens = tokenizer.encode(['a photo of a red', 'Sky'], TINY_CONTEXT_LENGTH);
      const row = (r: number) => Array.from(tokens.ids.subarray(r * 8, r * 8 + 8), Number);
      assert.deepEqual(row(0), [id('[CLS]'), id('a'), id('photo'), id('of'), id('a'), id('red'), id('[SEP]'), id('[PAD]')]);
      assert.deepEqual(row(1), [id('[CLS]'), id('sky'), id('[SEP]'), 0, 0, 0, 0, 0]);
      assert.deepEqual(Array.from(tokens.attentionMask.subarray(8, 16), Number), [1, 1, 1, 0, 0, 0, 0, 0]);
      assert.deepEqual(tokens.endPositions, [6, 2]);
    });

    it('splits unknown words into the longest known pieces, else one unknown token', () => {
      assert.deepEqual(tokenizer.pieces('reddish'), [id('red'), id('##dish')]);
      assert.deepEqual(tokenizer.pieces('purple!'), [id('[UNK]'), id('[UNK]')]);
    });

    it('refuses a prompt longer than the context and a vocabulary without tokens', () => {
      assert.throws(() => tokenizer.encode(['a photo of a red green blue sky'], TINY_CONTEXT_LENGTH), /needs 8 tokens; the text encoder reads at most 6/);
      assert.throws(() => new PromptTokenizer(['', '']), /holds no tokens/);
    });
  });

  it('turns folder names into prompts', () => {
    assert.equal(classPrompt('a photo of a {class}', 'golden_retriever'), 'a photo of a golden retriever');
    assert.throws(() => classPrompt('a photo', 'cat'), /must contain \{class\}/);
  });

  it('embeds class prompts with the ONNX text encoder: one row per class, each near its colour', async () => {
    const prompts = await embedClassPrompts(settingsFor(files), COLOURS);
    assert.deepEqual([prompts.rows, prompts.width], [3, 3]);
    COLOURS.forEach((colour, c) => {
      const row = Array.from(prompts.data.subarray(c * 3, c * 3 + 3));
      const strongest = row.indexOf(Math.max(...row));
      assert.equal(strongest, { red: 0, green: 1, blue: 2 }[colour], `${colour}: ${row}`);
    });
  });

  it('gives every image a distribution over the classes that finds the colour with no labels', async () => {
    const prompts = await embedClassPrompts(settingsFor(files), COLOURS);
    const truth = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    const p = zeroShotProbabilities(colourEmbeddings(truth, 1), prompts, 0.05);
    let correct = 0;
    truth.forEach((c, row) => {
      const pr = p.subarray(row * 3, row * 3 + 3);
      assert.ok(Math.abs(pr.reduce((a, b) => a + b, 0) - 1) < 1e-9);
      if (pr.indexOf(Math.max(...pr)) === c) correct++;
    });
    assert.ok(correct >= 55, `${correct} of 60 right`);
    // A lower temperature sharpens the same ranking.
    const sharp = zeroShotProbabilities(colourEmbeddings(truth, 1), prompts, 0.01);
    assert.ok(Math.max(...sharp.subarray(0, 3)) > Math.max(...p.subarray(0, 3)));
  });

  it('changes the mixture: with uninformative visual features the zero-shot expert carries it', async () => {
    const truth = Int32Array.from({ length: 150 }, (_, i) => i % 3);
    // Eight labels per class: the rest is what the mixture must suggest.
    const seen = [0, 0, 0];
    const labels = Int32Array.from(truth, (c) => (seen[c]++ < 8 ? c : -1));
    const random = new SeededRandom(5);
    const noise: VectorRows = { data: Float32Array.from({ length: truth.length * 16 }, () => random.normal()), rows: truth.length, width: 16 };
    const pool: LabelledPool = { features: noise, labels, classNames: COLOURS };
    const prompts = await embedClassPrompts(settingsFor(files), COLOURS);
    const zeroShot = { name: 'zero-shot tiny', probabilities: zeroShotProbabilities(colourEmbeddings(truth, 2), prompts, 0.05) };

    const visualOnly = new LongTailMixture({ seed: 1 }).run(pool, [{ name: 'noise', features: noise }]);
    const mixed = new LongTailMixture({ seed: 1 }).run(pool, [{ name: 'noise', features: noise }, zeroShot]);
    const accuracy = (p: Float64Array) => {
      const rows = [...truth.keys()].filter((row) => labels[row] < 0);
      return rows.filter((row) => {
        const pr = p.subarray(row * 3, row * 3 + 3);
        return pr.indexOf(Math.max(...pr)) === truth[row];
      }).length / rows.length;
    };
    assert.deepEqual(mixed.expertNames, ['noise', 'zero-shot tiny']);
    assert.ok(accuracy(visualOnly.probabilities) < 0.6, `noise alone: ${accuracy(visualOnly.probabilities)}`);
    assert.ok(accuracy(mixed.probabilities) > 0.85, `with the zero-shot expert: ${accuracy(mixed.probabilities)}`);
    // The scorer learnt to trust the expert that was right on the labelled images.
    const meanWeight = truth.reduce((sum, _, row) => sum + mixed.expertWeights[row * 2 + 1], 0) / truth.length;
    assert.ok(meanWeight > 0.5, `mean weight of the zero-shot expert ${meanWeight}`);
    assert.ok(mixed.expertProbabilities[1] === zeroShot.probabilities);
  });

  describe('clear errors for missing or broken files', () => {
    it('a missing or unreadable vocabulary', async () => {
      await assert.rejects(embedClassPrompts(settingsFor(files, { vocabulary: join(dir, 'none.txt') }), COLOURS), /Cannot read the text encoder's vocabulary .*none\.txt/);
    });

    it('a missing text encoder', async () => {
      await assert.rejects(embedClassPrompts(settingsFor(files, { textEncoder: join(dir, 'none.onnx') }), COLOURS), /The text encoder .*none\.onnx does not exist/);
    });

    it('a damaged text encoder', async () => {
      const broken = join(dir, 'broken.onnx');
      await writeFile(broken, Buffer.from(tinyTextEncoderBytes()).subarray(0, 40));
      await assert.rejects(embedClassPrompts(settingsFor(files, { textEncoder: broken }), COLOURS), /broken\.onnx could not be loaded: it is damaged or not an ONNX model/);
    });

    it('a text encoder that does not take token ids', async () => {
      await assert.rejects(embedClassPrompts(settingsFor(files, { textEncoder: join(files.imageDescriptor, '..', 'image.onnx') }), COLOURS), /must take int64 token ids as its first input \(its first input is pixels, float32\)/);
    });

    it('towers of different widths', async () => {
      const wide = join(dir, 'wide.onnx');
      await writeFile(wide, tinyTextEncoderBytes(5));
      const prompts = await embedClassPrompts(settingsFor(files, { textEncoder: wide }), COLOURS);
      assert.throws(() => zeroShotProbabilities(colourEmbeddings(Int32Array.of(0, 1), 1), prompts, 0.01), /image encoder's embeddings have 3 dimensions but the text encoder's have 5/);
    });
  });
});
