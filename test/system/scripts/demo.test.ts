// `npm run demo` is the README's main job: it must run on a fresh folder and find what the sample
// holds. Run as a user would (a separate Node process) on a temporary copy of the sample.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { distDir, tempDir } from '../../support/paths';
import { runNodeScript } from '../../support/runCli';

/** The number the pattern captures from the demo's output. */
function figure(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  assert.ok(match, `no match for ${pattern} in:\n${text}`);
  return Number(match[1]);
}

describe('npm run demo', function () {
  this.timeout(180_000);

  it('builds the sample, runs every step and finds what the sample holds', async () => {
    const { dir, cleanup } = await tempDir('demo');
    try {
      const run = await runNodeScript(join(distDir, 'scripts', 'demo.js'), ['--dir', join(dir, 'sample')]);
      assert.equal(run.code, 0, run.stderr);
      const out = run.stdout;
      assert.match(out, /Wrote 100 labelled \(5 of them filed under the wrong digit\) and 400 unlabelled MNIST digits/);
      assert.match(out, /mnist: 500 images \(100 labelled, 400 unlabelled\)/);
      // The two broken files are reported, not fatal.
      assert.match(out, /unlabeled\/readme\.jpg: .*not any supported image format/);
      assert.match(out, /unlabeled\/truncated\.png: The file is empty/);
      assert.match(out, /500 computed, 0 from cache/);
      assert.match(out, /\(768 dims\)/);
      assert.match(out, /3\. Embed again .*\n {2}0 computed, 500 from cache/);
      assert.match(out, /500 x 768 -> /);
      // Real results, well above chance (10%): what the model and the methods make of the digits.
      assert.ok(figure(out, /names the digit of ([\d.]+)% of the 400 unlabelled images/) > 40);
      assert.match(out, /20 of 400 unlabelled images in/);
      assert.ok(figure(out, /first suggestion is the true digit for ([\d.]+)%/) > 50);
      assert.ok(figure(out, /, (\d+) of the 5 planted label errors among them/) >= 3);
      // Accepting only the sure suggestions is more often right than accepting every first suggestion.
      assert.ok(figure(out, /(\d+) of the 400 unlabelled images have a first suggestion of p >= 0\.9/) > 0);
      assert.ok(figure(out, /p >= 0\.9; ([\d.]+)% of those labels are the true digit/) > figure(out, /first suggestion is the true digit for ([\d.]+)%/));
    } finally {
      await cleanup();
    }
  });
});
