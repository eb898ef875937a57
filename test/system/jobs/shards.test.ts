// Sharded embedding: n shard runs, merged, hold exactly what one unsharded run computes.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { scanDataset } from '../../../src/core/dataset/scan';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import type { EmbedDatasetParams } from '../../../src/core/embed/types';
import { embedDataset } from '../../../src/core/jobs/embedDataset';
import { inShard, parseShard } from '../../../src/core/jobs/shards';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { bundledModelDir, tempDir } from '../../support/paths';

describe('shards', function () {
  this.timeout(180_000);

  it('parses i/n and refuses anything else', () => {
    assert.deepEqual(parseShard('2/5'), { index: 2, count: 5 });
    for (const bad of ['5/5', '1/0', '-1/3', 'a/b', '1', '1/2/3', '']) assert.throws(() => parseShard(bad), /0 <= i < n/, bad);
  });

  it('puts every path in exactly one shard', () => {
    const paths = Array.from({ length: 500 }, (_, i) => `class ${i % 7}/image_${i}.png`);
    const shards = [0, 1, 2].map((index) => ({ index, count: 3 }));
    for (const path of paths) assert.equal(shards.filter((shard) => inShard(path, shard)).length, 1, path);
    for (const shard of shards) assert.ok(paths.filter((path) => inShard(path, shard)).length > 100, 'shares are roughly even');
  });

  it('three shard runs merged equal one unsharded run', async () => {
    const { dir, cleanup } = await tempDir('shards');
    const encoders = new EncoderCache();
    try {
      const root = await makeFixtureDataset(dir);
      const base: Omit<EmbedDatasetParams, 'cacheDir'> = {
        root,
        unlabeledFolderName: 'unlabeled',
        model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
        executionProvider: 'cpu',
        batchSize: 8,
      };
      const whole = await embedDataset({ ...base, cacheDir: join(dir, 'whole') }, { encoders });
      assert.equal(whole.embedded, fixtureFacts.decodable);

      const shardedCache = join(dir, 'sharded');
      let embeddedByShards = 0;
      for (let index = 0; index < 3; index++) {
        const run = await embedDataset({ ...base, cacheDir: shardedCache, shard: { index, count: 3 } }, { encoders });
        assert.deepEqual(run.shard, { index, count: 3 });
        assert.equal(run.images, run.embedded, 'a shard embeds only its own images, all of them');
        embeddedByShards += run.embedded;
      }
      assert.equal(embeddedByShards, fixtureFacts.decodable);
      assert.ok(existsSync(join(shardedCache, 'shards')), 'shard runs write beside the root cache, not into it');

      // The next unsharded run takes the shards in and has nothing left to embed.
      const merged = await embedDataset({ ...base, cacheDir: shardedCache }, { encoders });
      assert.equal(merged.embedded, 0);
      assert.equal(merged.fromCache, fixtureFacts.decodable);
      assert.ok((merged.mergedShardRecords ?? 0) >= fixtureFacts.decodable);
      assert.ok(!existsSync(join(shardedCache, 'shards', '0-of-3')), 'merged shards are removed');

      const modelId = whole.modelId;
      const [a, b] = await Promise.all([EmbeddingStore.open(join(dir, 'whole'), modelId), EmbeddingStore.open(shardedCache, modelId)]);
      try {
        const keys = (store: EmbeddingStore): string[] => [...store.keys()].map((k) => `${k.hash}/${k.kind}`).sort();
        assert.deepEqual(keys(b), keys(a), 'the same (content, kind) records');
        const scan = await scanDataset(root, { unlabeledFolderName: 'unlabeled' });
        assert.equal(scan.images.length, fixtureFacts.decodable);
        for (const { hash, kind } of a.keys()) {
          const [x, y] = [await a.get(hash, kind), await b.get(hash, kind)];
          const maxDiff = Math.max(...x!.data.map((value, i) => Math.abs(value - y!.data[i])));
          assert.ok(maxDiff <= 1e-5, `${hash.slice(0, 8)}/${kind} differs by ${maxDiff}`);
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    } finally {
      await encoders.dispose();
      await cleanup();
    }
  });
});
