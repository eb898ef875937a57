// The model catalogue against a real loopback HTTP server that plays the company mirror (serving
// ../shared/models), real onnxruntime and real photographs. The only catalogue file present here is
// the ONNX Model Zoo's mobilenetv2-12-int8.onnx; the other entries' files cannot be downloaded here.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { OnnxEncoder } from '../../../src/core/embed/onnxEncoder';
import { decodeForModel } from '../../../src/core/embed/imageDecoder';
import { findCatalogueEntry, looksLikeModelId, MODEL_CATALOGUE } from '../../../src/core/model/catalogue';
import { catalogueDownloadUrl, cataloguePaths, findPulledModel, MODEL_MIRROR_ENV } from '../../../src/core/model/catalogueStore';
import { ChecksumMismatchError, ensureVerifiedDownload, TruncatedDownloadError } from '../../../src/core/model/download';
import { HttpStatusError } from '../../../src/core/model/httpGet';
import { isSafeModelId } from '../../../src/core/model/modelId';
import { resolveModel } from '../../../src/core/model/registry';
import { prepareReferenceModel } from '../../../tools/prepare-reference-model';

const MOBILENET = 'mobilenetv2-12-int8';

function repositoryRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
      if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir;
    }
  }
  throw new Error(`No repository above ${__dirname} or ${process.cwd()}`);
}

const ROOT = repositoryRoot();
const SHARED_MODELS = resolve(ROOT, '..', 'shared', 'models');
const CIFAR = resolve(ROOT, '..', 'shared', 'data', 'cifar10-dev', 'test');
const BUNDLED_DIR = join(ROOT, 'dist', 'models', 'default');

/** Every file and folder under `dir`, relative, folders with a trailing slash. */
async function listTree(dir: string, prefix = ''): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) found.push(`${rel}/`, ...(await listTree(join(dir, entry.name), `${rel}/`)));
    else found.push(rel);
  }
  return found.sort();
}

/** One photograph of each of a few CIFAR-10 classes. */
async function samplePhotos(): Promise<string[]> {
  const photos: string[] = [];
  for (const label of ['airplane', 'cat', 'ship', 'truck', 'frog']) {
    const names = (await readdir(join(CIFAR, label))).sort();
    photos.push(join(CIFAR, label, names[0]), join(CIFAR, label, names[1]));
  }
  return photos;
}

describe('model catalogue', () => {
  describe('entries', () => {
    it('holds the ONNX Model Zoo int8 MobileNetV2 with its published facts', () => {
      const entry = findCatalogueEntry(MOBILENET);
      assert.ok(entry);
      assert.equal(entry.sha256, '83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f');
      assert.equal(entry.size, 3_655_640);
      assert.equal(entry.fileName, 'mobilenetv2-12-int8.onnx');
      assert.equal(new URL(entry.url).pathname.split('/').pop(), entry.fileName);
    });

    it('has at least three more encoders, each with a safe id, a checksum, a size, a licence and a URL ending in its file name', () => {
      assert.ok(MODEL_CATALOGUE.length >= 4);
      assert.equal(new Set(MODEL_CATALOGUE.map((e) => e.id)).size, MODEL_CATALOGUE.length, 'ids are unique');
      for (const entry of MODEL_CATALOGUE) {
        assert.ok(isSafeModelId(entry.id) && looksLikeModelId(entry.id), entry.id);
        assert.match(entry.sha256, /^[0-9a-f]{64}$/, entry.id);
        assert.ok(Number.isSafeInteger(entry.size) && entry.size > 1_000_000, entry.id);
        assert.ok(entry.license.length > 0 && entry.description.length > 40, entry.id);
        assert.equal(new URL(entry.url).protocol, 'https:', entry.id);
        assert.equal(new URL(entry.url).pathname.split('/').pop(), entry.fileName, entry.id);
      }
    });

    it('fetches <mirror>/<file name> when a mirror is set, and refuses a plain-http mirror on another host', () => {
      const entry = findCatalogueEntry(MOBILENET)!;
      assert.equal(catalogueDownloadUrl(entry, undefined).href, entry.url);
      assert.equal(catalogueDownloadUrl(entry, 'https://models.example.com/zoo').href, 'https://models.example.com/zoo/mobilenetv2-12-int8.onnx');
      assert.equal(catalogueDownloadUrl(entry, 'http://127.0.0.1:8000/a/').href, 'http://127.0.0.1:8000/a/mobilenetv2-12-int8.onnx');
      assert.throws(() => catalogueDownloadUrl(entry, 'http://models.example.com/'), /only https:\/\//);
    });

    it('names the catalogue when an id is unknown', async () => {
      await assert.rejects(resolveModel('no-such-model', { bundledDir: BUNDLED_DIR, storageDir: tmpdir() }), /Unknown model id "no-such-model"; the catalogue holds mobilenetv2-12-int8, /);
    });
  });

  describe('pulling through a loopback mirror', () => {
    let server: Server;
    let base: string;
    let published: Buffer;
    let requests: string[];
    let work: string;
    let storageDir: string;

    function serveSlowly(response: ServerResponse, bytes: Buffer): void {
      response.writeHead(200, { 'content-length': String(bytes.length) });
      let offset = 0;
      const timer = setInterval(() => {
        if (response.destroyed || offset >= bytes.length) return clearInterval(timer);
        response.write(bytes.subarray(offset, offset + 16384));
        offset += 16384;
      }, 20);
      response.on('close', () => clearInterval(timer));
    }

    function handle(request: IncomingMessage, response: ServerResponse): void {
      const path = request.url ?? '/';
      requests.push(path);
      const [, mode, name] = path.split('/');
      if (mode === 'good' && name === 'mobilenetv2-12-int8.onnx') {
        response.writeHead(200, { 'content-length': String(published.length) });
        return void response.end(published);
      }
      if (mode === 'good' && name === 'resnet50_Opset17.onnx') {
        // Another file behind the right name: same length as the catalogue says, other bytes.
        const size = findCatalogueEntry('resnet50-torchvision')!.size;
        response.writeHead(200, { 'content-length': String(size) });
        return void response.end(Buffer.alloc(size, 7));
      }
      if (mode === 'wrong') {
        const corrupted = Buffer.from(published);
        corrupted[corrupted.length >> 1] ^= 0xff;
        response.writeHead(200, { 'content-length': String(corrupted.length) });
        return void response.end(corrupted);
      }
      if (mode === 'truncated') {
        response.writeHead(200, { 'content-length': String(published.length) });
        response.write(published.subarray(0, published.length >> 1), () => response.destroy());
        return;
      }
      if (mode === 'loop') {
        response.writeHead(302, { location: `/loop/${name}` });
        return void response.end();
      }
      if (mode === 'slow') return serveSlowly(response, published);
      response.writeHead(404, 'Not Found');
      response.end();
    }

    before(async () => {
      published = await readFile(join(SHARED_MODELS, 'mobilenetv2-12-int8.onnx'));
      server = createServer(handle);
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    });
    beforeEach(async () => {
      requests = [];
      work = await mkdtemp(join(tmpdir(), 'curator-catalogue-'));
      storageDir = join(work, 'storage');
    });
    afterEach(async () => {
      await rm(work, { recursive: true, force: true });
    });

    const pull = (id: string, mirrorMode: string, extra: { signal?: AbortSignal; onProgress?: (r: number, t: number | undefined) => void } = {}) =>
      resolveModel(id, { bundledDir: BUNDLED_DIR, storageDir, mirror: `${base}/${mirrorMode}`, ...extra });

    /** The model in use before (the bundled default) still loads and embeds a photograph. */
    async function assertDefaultStillWorks(): Promise<void> {
      const resolved = await resolveModel('default', { bundledDir: BUNDLED_DIR, storageDir });
      const encoder = await OnnxEncoder.open(resolved.descriptor, resolved.onnxPath, 'cpu');
      try {
        const photo = (await samplePhotos())[0];
        const [embedding] = await encoder.embed([(await decodeForModel(photo, resolved.descriptor.input)).data]);
        assert.ok(embedding.length > 0 && embedding.every(Number.isFinite));
      } finally {
        await encoder.dispose();
      }
    }

    it('gives the same model file and the same embeddings as tools/prepare-reference-model on real photographs', async function () {
      this.timeout(120_000);
      const progress: Array<[number, number | undefined]> = [];
      const pulled = await pull(MOBILENET, 'good', { onProgress: (r, t) => progress.push([r, t]) });
      assert.equal(pulled.source, 'catalogue');
      assert.deepEqual(requests, ['/good/mobilenetv2-12-int8.onnx']);
      assert.ok(progress.length >= 2 && progress[progress.length - 1][0] === published.length);

      const referenceJson = prepareReferenceModel(join(SHARED_MODELS, 'mobilenetv2-12-int8.onnx'), join(work, 'reference'));
      const reference = await resolveModel(referenceJson, { bundledDir: BUNDLED_DIR, storageDir });
      assert.ok((await readFile(pulled.onnxPath)).equals(await readFile(reference.onnxPath)), 'the same edited graph');
      assert.equal(pulled.descriptor.id, reference.descriptor.id, 'the same model id, so caches are shared');
      assert.deepEqual(pulled.descriptor.input, reference.descriptor.input);
      assert.deepEqual(pulled.descriptor.outputs, reference.descriptor.outputs);

      const photos = await samplePhotos();
      const embedAll = async (model: typeof pulled) => {
        const encoder = await OnnxEncoder.open(model.descriptor, model.onnxPath, 'cpu');
        try {
          const inputs = await Promise.all(photos.map(async (photo) => (await decodeForModel(photo, model.descriptor.input)).data));
          return await encoder.encode(inputs, true);
        } finally {
          await encoder.dispose();
        }
      };
      const [ours, theirs] = [await embedAll(pulled), await embedAll(reference)];
      assert.equal(ours.embeddings.length, photos.length);
      assert.equal(ours.embeddings[0].length, 1280);
      ours.embeddings.forEach((embedding, i) => assert.deepEqual(Array.from(embedding), Array.from(theirs.embeddings[i]), photos[i]));
      assert.ok(ours.featureMaps && theirs.featureMaps);
      assert.equal(ours.featureMaps.positions, 49);
      ours.featureMaps.perImage.forEach((map, i) => assert.deepEqual(Array.from(map), Array.from(theirs.featureMaps!.perImage[i])));
      // Different photographs give different embeddings (the comparison above is not of constants).
      assert.notDeepEqual(Array.from(ours.embeddings[0]), Array.from(ours.embeddings[2]));
    });

    it('stores the model once, content-addressed, and reuses it offline', async () => {
      const first = await pull(MOBILENET, 'good');
      const entry = findCatalogueEntry(MOBILENET)!;
      const paths = cataloguePaths(entry, storageDir);
      assert.equal(first.onnxPath, paths.onnx);
      assert.deepEqual(await listTree(join(storageDir, 'models')), [`${entry.id}-${entry.sha256.slice(0, 16)}/`, `${entry.id}-${entry.sha256.slice(0, 16)}/model.json`, `${entry.id}-${entry.sha256.slice(0, 16)}/model.onnx`]);
      // Offline: the mirror is gone (nothing listens on port 9) and no request is made.
      requests = [];
      const again = await resolveModel(MOBILENET, { bundledDir: BUNDLED_DIR, storageDir, mirror: 'http://127.0.0.1:9/', onProgress: () => assert.fail('no download') });
      assert.equal(again.onnxPath, first.onnxPath);
      assert.deepEqual(requests, []);
      assert.ok(await findPulledModel(entry, storageDir));
    });

    it('serves two pulls of the same model at once (two windows, or the CLI beside the editor) with one stored copy', async () => {
      const [a, b] = await Promise.all([pull(MOBILENET, 'good'), pull(MOBILENET, 'good')]);
      assert.equal(a.onnxPath, b.onnxPath);
      const entry = findCatalogueEntry(MOBILENET)!;
      const folder = `${entry.id}-${entry.sha256.slice(0, 16)}`;
      assert.deepEqual(await listTree(join(storageDir, 'models')), [`${folder}/`, `${folder}/model.json`, `${folder}/model.onnx`]);
    });

    it('takes the mirror from CURATOR_MODEL_MIRROR when no mirror is given', async () => {
      const saved = process.env[MODEL_MIRROR_ENV];
      process.env[MODEL_MIRROR_ENV] = `${base}/good/`;
      try {
        await resolveModel(MOBILENET, { bundledDir: BUNDLED_DIR, storageDir });
      } finally {
        if (saved === undefined) delete process.env[MODEL_MIRROR_ENV];
        else process.env[MODEL_MIRROR_ENV] = saved;
      }
      assert.deepEqual(requests, ['/good/mobilenetv2-12-int8.onnx']);
    });

    const failures: Array<[string, string, (error: unknown) => boolean]> = [
      ['a wrong checksum', 'wrong', (e) => e instanceof ChecksumMismatchError && /has SHA-256 [0-9a-f]{64}, but 83530ad8[0-9a-f]+ was expected; it was discarded/.test(e.message)],
      ['a truncated body', 'truncated', (e) => e instanceof TruncatedDownloadError && /stopped after \d+ of 3655640 bytes; the partial file was discarded/.test(e.message)],
      ['a 404', 'missing', (e) => e instanceof HttpStatusError && /missing\/mobilenetv2-12-int8\.onnx failed: HTTP 404 Not Found/.test(e.message)],
      ['a redirect loop', 'loop', (e) => e instanceof Error && /more than 5 redirects/.test(e.message)],
    ];
    for (const [title, mode, expected] of failures) {
      it(`refuses ${title} with a clear error, keeps nothing, and the model in use before still works`, async () => {
        await assert.rejects(pull(MOBILENET, mode), (error) => {
          assert.ok(expected(error), `unexpected error: ${(error as Error).message}`);
          return true;
        });
        assert.deepEqual(await listTree(join(storageDir, 'models')), []);
        await assertDefaultStillWorks();
      });
    }

    it('refuses another file served under an entry\'s name and leaves a model pulled before untouched', async () => {
      const before = await pull(MOBILENET, 'good');
      const storeBefore = await listTree(join(storageDir, 'models'));
      await assert.rejects(pull('resnet50-torchvision', 'good'), ChecksumMismatchError);
      assert.deepEqual(await listTree(join(storageDir, 'models')), storeBefore);
      const after = await resolveModel(MOBILENET, { bundledDir: BUNDLED_DIR, storageDir, mirror: 'http://127.0.0.1:9/' });
      assert.equal(createHash('sha256').update(await readFile(after.onnxPath)).digest('hex'), before.descriptor.sha256);
    });

    it('refuses a server that announces another size than the catalogue before downloading', async () => {
      // The mirror answers for resnet50 with the MobileNet file: 3,655,640 bytes, not 102,146,338.
      const mirror = `${base}/good`;
      const entry = findCatalogueEntry('resnet50-torchvision')!;
      const wrongName = { ...entry, fileName: 'mobilenetv2-12-int8.onnx' };
      await assert.rejects(
        ensureVerifiedDownload(catalogueDownloadUrl(wrongName, mirror), { sha256: entry.sha256, size: entry.size, destination: join(storageDir, 'x.onnx'), what: 'model resnet50-torchvision' }),
        /announces 3655640 bytes for the model resnet50-torchvision, but the file has 102146338; not downloading it/,
      );
      assert.deepEqual(await listTree(storageDir), []);
    });

    it('removes the partial file when cancelled midway, and the model in use before still works', async () => {
      const controller = new AbortController();
      let largestSeen = 0;
      await assert.rejects(
        pull(MOBILENET, 'slow', {
          signal: controller.signal,
          onProgress: (received) => {
            largestSeen = received;
            if (received > 200_000) controller.abort();
          },
        }),
        (error: unknown) => (error as Error).name === 'AbortError',
      );
      assert.ok(largestSeen > 0 && largestSeen < published.length, `cancelled midway (at ${largestSeen} bytes)`);
      assert.deepEqual(await listTree(join(storageDir, 'models')), []);
      await assertDefaultStillWorks();
    });

    it('reports a full disk clearly and keeps nothing (a 1 MiB tmpfs in a private mount namespace, else a 1 MiB file size limit)', async function () {
      this.timeout(60_000);
      const child = join(__dirname, 'pullInChild.js');
      const store = join(work, 'small-disk');
      // Asynchronous: the child downloads from this process's server, which must keep answering.
      const run = async (command: string): Promise<{ error?: { name: string; message: string }; store: string[] } | undefined> => {
        const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((done) => {
          const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'inherit'], timeout: 50_000 });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
          child.on('close', (status) => done({ code: status, stdout: out }));
        });
        const line = stdout.trim().split('\n').pop();
        return code === 0 && line?.startsWith('{') ? JSON.parse(line) : undefined;
      };
      const args = `${JSON.stringify(child)} ${JSON.stringify(store)} ${JSON.stringify(`${base}/good`)} ${MOBILENET}`;
      execFileSync('mkdir', ['-p', store]);
      // A real ENOSPC: a 1 MiB tmpfs mounted over the store, visible only to the child (no root needed).
      let outcome = await run(`unshare --user --map-root-user --mount bash -c 'mount -t tmpfs -o size=1m tmpfs ${JSON.stringify(store)} && ${process.execPath} ${args}'`);
      let expectedHint = /\(the disk is full\): ENOSPC/;
      if (!outcome) {
        // Where user namespaces are not allowed: the file size limit makes the same write fail (EFBIG).
        outcome = await run(`ulimit -f 1024 && ${process.execPath} ${args}`);
        expectedHint = /\(file size limit reached\): EFBIG/;
      }
      assert.ok(outcome, 'the child process ran');
      assert.equal(outcome.error?.name, 'StoreWriteError', outcome.error?.message);
      assert.match(outcome.error.message, /^Could not store the model mobilenetv2-12-int8 in .*models/);
      assert.match(outcome.error.message, expectedHint);
      assert.match(outcome.error.message, /nothing was kept$/);
      assert.deepEqual(outcome.store, ['models/'], 'no partial file is left on the full disk');
      await assertDefaultStillWorks();
    });
  });
});
