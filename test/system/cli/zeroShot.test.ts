// `curator suggest --method moe` with the zero-shot expert configured by flags, end to end through
// the CLI: the tiny hand-set CLIP-style towers (test/system/suggest/tinyClipModels.ts; no real CLIP
// weights exist here), colour-patch images written with sharp, both models embedded into the cache.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import { tempDir } from '../../support/paths';
import { runCli, type CliRun } from '../../support/runCli';
import { writeTinyClip, type TinyClipFiles } from '../suggest/tinyClipModels';

const COLOURS: Record<string, [number, number, number]> = { blue: [40, 60, 220], green: [50, 200, 60], red: [210, 50, 40] };
const LABELLED_PER_CLASS = 4;
const UNLABELLED_PER_CLASS = 3;

/** A 16x16 patch of one colour with per-pixel noise, so no two images are the same file. */
async function writePatch(file: string, rgb: [number, number, number], random: SeededRandom): Promise<void> {
  const pixels = Buffer.alloc(16 * 16 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, Math.round(rgb[i % 3] + 20 * random.normal())));
  await sharp(pixels, { raw: { width: 16, height: 16, channels: 3 } }).png().toFile(file);
}

describe('curator suggest --method moe with a zero-shot expert', function () {
  this.timeout(120_000);
  let cleanup: () => Promise<void>;
  let workDir: string;
  let root: string;
  let clip: TinyClipFiles;
  const curator = (...args: string[]): Promise<CliRun> => runCli(workDir, ...args);
  const clipFlags = () => ['--clip-image-model', clip.imageDescriptor, '--clip-text-encoder', clip.textEncoder, '--clip-vocab', clip.vocabulary];

  before(async () => {
    ({ dir: workDir, cleanup } = await tempDir('cli-zero-shot'));
    clip = await writeTinyClip(join(workDir, 'clip'));
    root = join(workDir, 'colours');
    const random = new SeededRandom(3);
    for (const [colour, rgb] of Object.entries(COLOURS)) {
      await mkdir(join(root, colour), { recursive: true });
      await mkdir(join(root, 'unlabeled'), { recursive: true });
      for (let i = 0; i < LABELLED_PER_CLASS; i++) await writePatch(join(root, colour, `${colour}_${i}.png`), rgb, random);
      for (let i = 0; i < UNLABELLED_PER_CLASS; i++) await writePatch(join(root, 'unlabeled', `${colour}_u${i}.png`), rgb, random);
    }
    const embedded = await curator('embed', root, '--provider', 'cpu', '--quiet');
    assert.equal(embedded.code, 0, embedded.stderr);
  });
  after(() => cleanup());

  it('asks for the image tower to be embedded first, naming the command', async () => {
    const run = await curator('suggest', root, '--method', 'moe', ...clipFlags());
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /image encoder tiny-clip-image has no cached embedding for 21 of 21 images: embed the dataset with that model too \(curator embed --model/);
  });

  it('suggests every unlabelled patch its colour, with the expert in the mixture', async () => {
    const embedded = await curator('embed', root, '--model', clip.imageDescriptor, '--provider', 'cpu', '--quiet');
    assert.equal(embedded.code, 0, embedded.stderr);
    const run = await curator('suggest', root, '--method', 'moe', '--seed', '1', '--json', ...clipFlags());
    assert.equal(run.code, 0, run.stderr);
    // One visual expert alone would have been reported as "only one expert".
    assert.doesNotMatch(run.stderr, /Only one expert/);
    const output = JSON.parse(run.stdout) as { classes: string[]; items: Array<{ path: string; label: string | null; pNewClass?: number; suggestions: Array<{ label: string; p: number }> }> };
    assert.deepEqual(output.classes, Object.keys(COLOURS));
    const unlabelled = output.items.filter((item) => item.label === null);
    assert.equal(unlabelled.length, 3 * UNLABELLED_PER_CLASS);
    for (const item of unlabelled) {
      assert.equal(item.suggestions[0].label, /unlabeled\/(\w+)_u/.exec(item.path)![1], JSON.stringify(item));
      // Open-set probabilities: the classes listed (all three here) and "a class without labels" share 1.
      assert.ok(Math.abs(item.suggestions.reduce((sum, s) => sum + s.p, 0) + (item.pNewClass ?? 0) - 1) < 1e-4, JSON.stringify(item));
    }
  });

  it('refuses part of the configuration, and reports a broken vocabulary', async () => {
    const partial = await curator('suggest', root, '--method', 'moe', '--clip-vocab', clip.vocabulary);
    assert.equal(partial.code, 2);
    assert.match(partial.stderr, /needs --clip-image-model, --clip-text-encoder and --clip-vocab together; missing --clip-image-model, --clip-text-encoder/);
    const missing = await curator('suggest', root, '--method', 'moe', ...clipFlags().slice(0, 4), '--clip-vocab', join(workDir, 'gone.txt'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Cannot read the text encoder's vocabulary .*gone\.txt/);
  });
});
