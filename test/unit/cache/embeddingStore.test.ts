import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheLockedError } from '../../../src/core/cache/cacheLockedError';
import { EmbeddingStore, VECTOR_LOG_FILE, type VectorRecord } from '../../../src/core/cache/embeddingStore';

const MODEL = 'test-model';

function contentHash(n: number): string {
  return createHash('sha256').update(`image ${n}`).digest('hex');
}

function embedding(n: number, dim = 8, variant = 0): VectorRecord {
  const data = new Float32Array(dim);
  for (let i = 0; i < dim; i++) data[i] = n * 100 + i + variant / 10;
  return { hash: contentHash(n), kind: 'embedding', shape: [dim], data };
}

describe('EmbeddingStore', () => {
  let cacheDir: string;
  const opened: EmbeddingStore[] = [];

  async function openStore(dir = cacheDir, modelId = MODEL): Promise<EmbeddingStore> {
    const store = await EmbeddingStore.open(dir, modelId);
    opened.push(store);
    return store;
  }

  function logPath(dir = cacheDir): string {
    return join(dir, 'models', MODEL, VECTOR_LOG_FILE);
  }

  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'curator-store-'));
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  describe('round trip', () => {
    it('stores and reads back vectors of several kinds, also after reopening', async () => {
      const store = await openStore();
      assert.equal(store.size, 0);
      assert.equal(store.repairs, undefined);
      const patterns: VectorRecord = {
        hash: contentHash(1),
        kind: 'patterns',
        shape: [2, 3],
        data: Float32Array.from([1.5, -2, 3.25, 0, Number.MAX_VALUE, -0.125]),
      };
      await store.append([embedding(1), embedding(2), patterns]);
      assert.equal(store.size, 3);
      assert.ok(store.has(contentHash(1), 'embedding'));
      assert.ok(store.has(contentHash(1), 'patterns'));
      assert.ok(!store.has(contentHash(2), 'patterns'));
      assert.equal(await store.get(contentHash(3), 'embedding'), undefined);
      await store.close();

      const reopened = await openStore();
      assert.equal(reopened.size, 3);
      assert.equal(reopened.repairs, undefined);
      assert.deepEqual(await reopened.get(contentHash(2), 'embedding'), { shape: [8], data: embedding(2).data });
      assert.deepEqual(await reopened.get(contentHash(1), 'patterns'), { shape: [2, 3], data: patterns.data });
      const meta = JSON.parse(await readFile(join(cacheDir, 'models', MODEL, 'meta.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(meta.modelId, MODEL);
      assert.equal(meta.formatVersion, 1);
    });

    it('lets a later record for the same hash and kind supersede the earlier one', async () => {
      const store = await openStore();
      await store.append([embedding(1, 8, 0), embedding(2)]);
      await store.append([embedding(1, 8, 7)]);
      assert.equal(store.size, 2);
      assert.deepEqual((await store.get(contentHash(1), 'embedding'))?.data, embedding(1, 8, 7).data);
      await store.close();

      const reopened = await openStore();
      assert.equal(reopened.size, 2);
      assert.deepEqual((await reopened.get(contentHash(1), 'embedding'))?.data, embedding(1, 8, 7).data);
    });

    it('reads rows in the requested order as one matrix and names missing rows', async () => {
      const store = await openStore();
      await store.append([embedding(1, 4), embedding(2, 4), embedding(3, 4)]);
      const matrix = await store.readMatrix([contentHash(3), contentHash(1)], 'embedding');
      assert.deepEqual(matrix, Float32Array.from([...embedding(3, 4).data, ...embedding(1, 4).data]));
      await assert.rejects(store.readMatrix([contentHash(1), contentHash(9)], 'embedding'), /1 of 2 .* not cached/);
    });

    it('refuses malformed records before writing anything', async () => {
      const store = await openStore();
      const wrongLength = { ...embedding(1), shape: [9] };
      await assert.rejects(async () => store.append([embedding(2), wrongLength]), /needs 9/);
      await assert.rejects(async () => store.append([{ ...embedding(1), hash: 'abc' }]), /64 lower-case hex/);
      await assert.rejects(async () => store.append([{ ...embedding(1), kind: 'Bad Kind' }]), /kind/);
      assert.equal(store.size, 0);
      assert.equal((await stat(logPath())).size, 0);
    });

    it('refuses a model id that could escape the cache folder', async () => {
      await assert.rejects(EmbeddingStore.open(cacheDir, '../outside'), /cannot name a cache folder/);
    });
  });

  describe('crash repair', () => {
    /** A log with two good records and a third whose bytes start at `lastStart`. */
    async function buildPristineLog(): Promise<{ bytes: Buffer; lastStart: number }> {
      const dir = join(cacheDir, 'pristine');
      const store = await EmbeddingStore.open(dir, MODEL);
      await store.append([embedding(1), embedding(2)]);
      await store.flush();
      const lastStart = (await stat(logPath(dir))).size;
      await store.append([embedding(3)]);
      await store.close();
      return { bytes: await readFile(logPath(dir)), lastStart };
    }

    /** A fresh cache folder whose log holds exactly `bytes`. */
    async function cacheWithLog(name: string, bytes: Uint8Array): Promise<string> {
      const dir = join(cacheDir, name);
      await (await EmbeddingStore.open(dir, MODEL)).close();
      await writeFile(logPath(dir), bytes);
      return dir;
    }

    async function assertRepairedToTwoRecords(dir: string, expectedDropped: number, lastStart: number): Promise<void> {
      const store = await openStore(dir);
      assert.ok(store.repairs, 'the damaged record must be reported');
      assert.equal(store.repairs.droppedBytes, expectedDropped);
      assert.equal(store.repairs.keptRecords, 2);
      assert.equal(store.size, 2);
      assert.deepEqual((await store.get(contentHash(1), 'embedding'))?.data, embedding(1).data);
      assert.deepEqual((await store.get(contentHash(2), 'embedding'))?.data, embedding(2).data);
      assert.ok(!store.has(contentHash(3), 'embedding'));
      assert.equal((await stat(logPath(dir))).size, lastStart);

      // The repaired log accepts new records, and they survive another reopen without repairs.
      await store.append([embedding(4)]);
      await store.close();
      const again = await openStore(dir);
      assert.equal(again.repairs, undefined);
      assert.equal(again.size, 3);
      assert.deepEqual((await again.get(contentHash(4), 'embedding'))?.data, embedding(4).data);
    }

    it('drops a last record cut short at any point and keeps the ones before it', async () => {
      const { bytes, lastStart } = await buildPristineLog();
      const lastLength = bytes.length - lastStart;
      // Inside the magic, the fixed header, the kind, the shape, the payload and the CRC.
      const cuts = [1, 3, 20, 41, 50, 53, 60, lastLength - 4, lastLength - 1];
      for (const cut of cuts) {
        const dir = await cacheWithLog(`cut-${cut}`, bytes.subarray(0, lastStart + cut));
        await assertRepairedToTwoRecords(dir, cut, lastStart);
      }
    });

    it('drops a last record whose payload has a flipped byte', async () => {
      const { bytes, lastStart } = await buildPristineLog();
      const damaged = Buffer.from(bytes);
      damaged[bytes.length - 10] ^= 0x01;
      const dir = await cacheWithLog('flipped-payload', damaged);
      await assertRepairedToTwoRecords(dir, bytes.length - lastStart, lastStart);
      const repairedStore = opened.find((store) => store.directory.startsWith(dir));
      assert.match(repairedStore?.repairs?.reason ?? '', /checksum/);
    });

    it('drops a last record whose header hash has a flipped bit', async () => {
      const { bytes, lastStart } = await buildPristineLog();
      const damaged = Buffer.from(bytes);
      damaged[lastStart + 12] ^= 0x80;
      const dir = await cacheWithLog('flipped-hash', damaged);
      await assertRepairedToTwoRecords(dir, bytes.length - lastStart, lastStart);
    });

    it('drops garbage appended after the last good record', async () => {
      const { bytes, lastStart } = await buildPristineLog();
      const dir = await cacheWithLog('garbage', Buffer.concat([bytes.subarray(0, lastStart), Buffer.from('not a record at all, just noise')]));
      await assertRepairedToTwoRecords(dir, 31, lastStart);
    });
  });

  describe('meta.json', () => {
    it('sets aside a cache written in another format instead of reading it', async () => {
      const store = await openStore();
      await store.append([embedding(1)]);
      await store.close();
      const folder = join(cacheDir, 'models', MODEL);
      await writeFile(join(folder, 'meta.json'), JSON.stringify({ formatVersion: 99, modelId: MODEL, created: 'x' }));

      const reopened = await openStore();
      assert.equal(reopened.size, 0);
      const setAside = reopened.setAside;
      assert.ok(setAside !== undefined && setAside.startsWith(`${folder}.set-aside-`));
      assert.deepEqual((await readdir(setAside)).sort(), ['meta.json', VECTOR_LOG_FILE]);
    });

    it('sets aside a cache that belongs to another model', async () => {
      await (await EmbeddingStore.open(cacheDir, MODEL)).close();
      const folder = join(cacheDir, 'models', MODEL);
      await writeFile(join(folder, 'meta.json'), JSON.stringify({ formatVersion: 1, modelId: 'other-model', created: 'x' }));
      const reopened = await openStore();
      assert.ok(reopened.setAside);
      assert.equal(JSON.parse(await readFile(join(folder, 'meta.json'), 'utf8')).modelId, MODEL);
    });

    it('sets aside a vector log that has no meta.json', async () => {
      const folder = join(cacheDir, 'models', MODEL);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, VECTOR_LOG_FILE), 'orphan');
      const store = await openStore();
      assert.ok(store.setAside);
      assert.equal(store.repairs, undefined);
    });
  });

  describe('lock', () => {
    // A lock held by another process, live or gone: test/system/cache/embeddingStoreLock.test.ts.

    it('in this process, a second open waits for the first to close, and is refused once its wait runs out', async () => {
      const first = await EmbeddingStore.open(cacheDir, MODEL);
      await assert.rejects(EmbeddingStore.open(cacheDir, MODEL, { waitInProcessMs: 50 }), (error: unknown) => {
        assert.ok(error instanceof CacheLockedError);
        assert.match(error.message, /in use by this process/);
        return true;
      });
      // A patient open (a job after a review refresh) gets the cache as soon as the first closes.
      let secondOpened = false;
      const second = EmbeddingStore.open(cacheDir, MODEL, { waitInProcessMs: 10_000 }).then((store) => {
        secondOpened = true;
        return store;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(secondOpened, false, 'it waits while the first is open');
      await first.close();
      const store = await second;
      await store.append([embedding(1)]);
      await store.close();
      await (await openStore()).append([embedding(2)]);
    });
  });
});
