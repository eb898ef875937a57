// The slower reliability test: 50,000 small PNG files in one folder. The scan lists every one, the
// embedding job embeds every one (identical contents once: 100 distinct images among them), and
// a second run finds them all in the cache without reading an image again.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import type { EmbedDatasetParams } from '../../../src/core/embed/types';
import { embedDataset } from '../../../src/core/jobs/embedDataset';
import { forEachConcurrently } from '../../../src/core/util/concurrency';
import { bundledModelDir, tempDir } from '../../support/paths';

const FILES = 50_000;
const DISTINCT = 100;

describe('reliability: 50,000 files in one folder (slower)', function () {
  this.timeout(180_000);
  const encoders = new EncoderCache();
  let cleanup: () => Promise<void>;
  let params: EmbedDatasetParams;

  before(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir('fifty-thousand'));
    const folder = join(dir, 'root', 'unlabeled');
    await mkdir(folder, { recursive: true });
    const contents = await Promise.all(
      Array.from({ length: DISTINCT }, (_, i) =>
        sharp({ create: { width: 8, height: 8, channels: 3, background: { r: i * 2, g: 255 - i * 2, b: (i * 37) % 256 } } }).png().toBuffer(),
      ),
    );
    const indices = Array.from({ length: FILES }, (_, i) => i);
    await forEachConcurrently(indices, 32, undefined, (i) => writeFile(join(folder, `img_${String(i).padStart(5, '0')}.png`), contents[i % DISTINCT]));
    params = {
      root: join(dir, 'root'),
      unlabeledFolderName: 'unlabeled',
      cacheDir: join(dir, 'cache'),
      model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
      executionProvider: 'cpu',
      batchSize: 16,
    };
  });
  after(async () => {
    await encoders.dispose();
    await cleanup?.();
  });

  it('embeds all of them, then finds all of them in the cache', async () => {
    const started = performance.now();
    const first = await embedDataset(params, { encoders });
    const firstSeconds = (performance.now() - started) / 1000;
    assert.deepEqual([first.images, first.embedded, first.fromCache, first.failed.length], [FILES, FILES, 0, 0]);

    const again = performance.now();
    const second = await embedDataset(params, { encoders });
    const secondSeconds = (performance.now() - again) / 1000;
    assert.deepEqual([second.images, second.embedded, second.fromCache, second.failed.length], [FILES, 0, FILES, 0]);
    console.log(`      first run ${firstSeconds.toFixed(1)} s (${DISTINCT} distinct images through the model), second run ${secondSeconds.toFixed(1)} s`);
  });
});
