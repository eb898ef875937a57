import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ModelDescriptor } from '../../../src/core/model/descriptor';
import { ChecksumMismatchError } from '../../../src/core/model/download';
import { resolveModel } from '../../../src/core/model/registry';
import { DescriptorError, validateDescriptor } from '../../../src/core/model/validateDescriptor';

const MODEL_SHA256 = '83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f';
const MODEL_FILE_NAME = 'mobilenetv2-12-int8.onnx';

/** The reference model lives in ../shared/models beside the repository (found above the test file or the working folder). */
function findReferenceModel(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
      if (existsSync(join(dir, 'package.json'))) return resolve(dir, '..', 'shared', 'models', MODEL_FILE_NAME);
    }
  }
  throw new Error(`No package.json above ${__dirname} or ${process.cwd()}`);
}

function referenceDescriptor(overrides: Partial<ModelDescriptor> = {}): ModelDescriptor {
  return {
    id: 'mobilenetv2-12-int8',
    name: 'MobileNetV2 (ImageNet, int8)',
    file: MODEL_FILE_NAME,
    sha256: MODEL_SHA256,
    input: { name: 'input', layout: 'NCHW', size: [224, 224], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    outputs: { embedding: 'output' },
    license: 'Apache-2.0',
    ...overrides,
  };
}

describe('model registry', () => {
  let work: string;
  let bundledDir: string;
  let storageDir: string;
  let modelBytes: Buffer;

  before(async () => {
    const modelPath = findReferenceModel();
    assert.ok(existsSync(modelPath), `reference model not found at ${modelPath}; these tests expect ../shared/models beside the repository`);
    modelBytes = await readFile(modelPath);
  });

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'curator-registry-'));
    bundledDir = join(work, 'bundled');
    storageDir = join(work, 'storage');
    await mkdir(bundledDir);
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  describe('descriptor validation', () => {
    const invalid: Array<[string, (d: Record<string, unknown>) => void, RegExp]> = [
      ['missing id', (d) => delete d.id, /field "id" is missing/],
      ['id that escapes a folder', (d) => (d.id = '../evil'), /field "id" must use/],
      ['empty name', (d) => (d.name = ''), /field "name" must be a non-empty string/],
      ['numeric file', (d) => (d.file = 7), /field "file" must be a non-empty string, got 7/],
      ['short sha256', (d) => (d.sha256 = 'abc'), /field "sha256" must be 64 hex digits/],
      ['input not an object', (d) => (d.input = 'x'), /field "input" must be a JSON object/],
      ['unknown layout', (d) => ((d.input as Record<string, unknown>).layout = 'CHW'), /field "input.layout" must be "NHWC" or "NCHW"/],
      ['one-element size', (d) => ((d.input as Record<string, unknown>).size = [224]), /field "input.size" must be an array of 2/],
      ['fractional size', (d) => ((d.input as Record<string, unknown>).size = [224, 22.5]), /field "input.size" must be \[height, width\] with positive integers/],
      ['zero size', (d) => ((d.input as Record<string, unknown>).size = [0, 224]), /field "input.size"/],
      ['two-element mean', (d) => ((d.input as Record<string, unknown>).mean = [0.5, 0.5]), /field "input.mean" must be an array of 3 finite numbers/],
      ['string in std', (d) => ((d.input as Record<string, unknown>).std = [1, '1', 1]), /field "input.std" must be an array of 3/],
      ['zero std', (d) => ((d.input as Record<string, unknown>).std = [1, 0, 1]), /field "input.std" must be three positive numbers/],
      ['missing input name', (d) => delete (d.input as Record<string, unknown>).name, /field "input.name" is missing/],
      ['missing embedding output', (d) => (d.outputs = {}), /field "outputs.embedding" is missing/],
      ['feature map without layout', (d) => (d.outputs = { embedding: 'e', featureMap: 'f' }), /field "outputs.featureMapLayout" must be given together/],
      ['bad feature map layout', (d) => (d.outputs = { embedding: 'e', featureMap: 'f', featureMapLayout: 'HWC' }), /field "outputs.featureMapLayout" must be/],
      ['misspelt field', (d) => ((d.input as Record<string, unknown>).means = [0, 0, 0]), /field "input.means" is not a known field/],
      ['an unexpected top-level field', (d) => (d.weights = 'x.onnx'), /field "weights" is not a known field/],
    ];
    for (const [title, mutate, message] of invalid) {
      it(`rejects a descriptor with ${title}`, () => {
        const raw = JSON.parse(JSON.stringify(referenceDescriptor())) as Record<string, unknown>;
        mutate(raw);
        assert.throws(() => validateDescriptor(raw, '/models/x.json'), (error: unknown) => {
          assert.ok(error instanceof DescriptorError);
          assert.match(error.message, /^Model descriptor \/models\/x\.json: /);
          assert.match(error.message, message);
          return true;
        });
      });
    }

    it('rejects a document that is not an object', () => {
      assert.throws(() => validateDescriptor([referenceDescriptor()], 'list.json'), /^DescriptorError: Model descriptor list\.json: must be a JSON object, got \[/);
    });

    it('accepts a complete descriptor and normalises the hash to lower case', () => {
      const raw = referenceDescriptor({ sha256: MODEL_SHA256.toUpperCase(), outputs: { embedding: 'e', featureMap: 'f', featureMapLayout: 'NCHW' } });
      assert.deepEqual(validateDescriptor(raw, 'x.json'), { ...raw, sha256: MODEL_SHA256 });
    });

    it('names the descriptor file in errors from resolveModel, also for broken JSON', async () => {
      const path = join(work, 'broken.json');
      await writeFile(path, '{"id": ');
      await assert.rejects(resolveModel(path, { bundledDir, storageDir }), new RegExp(`Model descriptor ${escape(path)}: is not valid JSON`));
      await writeFile(path, JSON.stringify({ ...referenceDescriptor(), input: { ...referenceDescriptor().input, layout: 'nchw' } }));
      await assert.rejects(resolveModel(path, { bundledDir, storageDir }), new RegExp(`${escape(path)}: field "input.layout"`));
    });
  });

  describe('local descriptors', () => {
    it('resolves "default" to the bundled descriptor and its file', async () => {
      await writeFile(join(bundledDir, 'model.json'), JSON.stringify(referenceDescriptor({ file: 'model.onnx' })));
      await writeFile(join(bundledDir, 'model.onnx'), 'weights');
      const resolved = await resolveModel('default', { bundledDir, storageDir });
      assert.equal(resolved.source, 'bundled');
      assert.equal(resolved.onnxPath, join(bundledDir, 'model.onnx'));
      assert.equal(resolved.descriptor.id, 'mobilenetv2-12-int8');
    });

    it('resolves an absolute descriptor path, its file relative to the descriptor folder or absolute', async () => {
      const folder = join(work, 'byo');
      await mkdir(join(folder, 'weights'), { recursive: true });
      await writeFile(join(folder, 'weights', 'm.onnx'), 'weights');
      await writeFile(join(folder, 'relative.json'), JSON.stringify(referenceDescriptor({ file: 'weights/m.onnx' })));
      await writeFile(join(folder, 'absolute.json'), JSON.stringify(referenceDescriptor({ file: findReferenceModel() })));
      const relative = await resolveModel(join(folder, 'relative.json'), { bundledDir, storageDir });
      assert.deepEqual([relative.source, relative.onnxPath], ['file', join(folder, 'weights', 'm.onnx')]);
      const absolute = await resolveModel(join(folder, 'absolute.json'), { bundledDir, storageDir });
      assert.equal(absolute.onnxPath, findReferenceModel());
    });

    it('reports a missing descriptor and a missing ONNX file', async () => {
      const missing = join(work, 'nope.json');
      await assert.rejects(resolveModel(missing, { bundledDir, storageDir }), new RegExp(`Model descriptor ${escape(missing)} does not exist`));
      await assert.rejects(resolveModel('default', { bundledDir, storageDir }), /does not exist \(the bundled model is missing/);
      const path = join(work, 'orphan.json');
      await writeFile(path, JSON.stringify(referenceDescriptor({ file: 'gone.onnx' })));
      await assert.rejects(
        resolveModel(path, { bundledDir, storageDir }),
        new RegExp(`ONNX file ${escape(join(work, 'gone.onnx'))} named by model descriptor ${escape(path)} \\(field "file"\\) does not exist`),
      );
    });

    it('refuses settings that are neither default, an absolute .json path nor a URL', async () => {
      await assert.rejects(resolveModel('models/model.json', { bundledDir, storageDir }), /must be "default", an absolute path/);
      await assert.rejects(resolveModel(join(work, 'model.onnx'), { bundledDir, storageDir }), /must point at a descriptor \.json/);
      await assert.rejects(resolveModel('ftp://example.com/model.json', { bundledDir, storageDir }), /only https:\/\//);
    });
  });

  describe('downloads', () => {
    let server: Server;
    let base: string;
    let modelRequests: number;

    function sendJson(response: ServerResponse, value: unknown): void {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    }

    /** Sends the model in 16 KiB pieces, 20 ms apart, so a client can cancel midway. */
    function sendSlowly(response: ServerResponse): void {
      response.writeHead(200, { 'content-length': String(modelBytes.length) });
      let offset = 0;
      const timer = setInterval(() => {
        if (response.destroyed || offset >= modelBytes.length) {
          clearInterval(timer);
          response.end();
          return;
        }
        response.write(modelBytes.subarray(offset, offset + 16384));
        offset += 16384;
      }, 20);
      response.on('close', () => clearInterval(timer));
    }

    before(async () => {
      server = createServer((request, response) => {
        const path = request.url ?? '/';
        if (path === '/model.json') return sendJson(response, referenceDescriptor());
        if (path === '/models/model.json') return sendJson(response, referenceDescriptor({ file: `../${MODEL_FILE_NAME}` }));
        if (path === '/wrong-hash.json') return sendJson(response, referenceDescriptor({ sha256: 'ab'.repeat(32) }));
        if (path === '/slow.json') return sendJson(response, referenceDescriptor({ file: 'slow.onnx' }));
        if (path === '/no-hash.json') return sendJson(response, referenceDescriptor({ sha256: undefined }));
        if (path === '/lost-file.json') return sendJson(response, referenceDescriptor({ file: 'lost.onnx' }));
        if (path === '/remote-http.json') return sendJson(response, referenceDescriptor({ file: 'http://example.com/m.onnx' }));
        if (path === '/moved.json') {
          response.writeHead(302, { location: '/model.json' });
          return response.end();
        }
        if (path === '/loop.json') {
          response.writeHead(301, { location: '/loop.json' });
          return response.end();
        }
        if (path === `/${MODEL_FILE_NAME}`) {
          modelRequests++;
          response.writeHead(200, { 'content-length': String(modelBytes.length) });
          return response.end(modelBytes);
        }
        if (path === '/slow.onnx') return sendSlowly(response);
        response.writeHead(404, 'Not Found');
        response.end('not found');
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    });
    beforeEach(() => {
      modelRequests = 0;
    });

    async function storedFiles(): Promise<string[]> {
      return existsSync(join(storageDir, 'models')) ? readdir(join(storageDir, 'models')) : [];
    }

    it('downloads, verifies and reports progress, then reuses the verified file without downloading again', async () => {
      const progress: Array<[number, number | undefined]> = [];
      const first = await resolveModel(`${base}/model.json`, {
        bundledDir,
        storageDir,
        onProgress: (received, total) => progress.push([received, total]),
      });
      assert.equal(first.source, 'download');
      assert.equal(first.descriptor.id, 'mobilenetv2-12-int8');
      assert.equal(first.onnxPath, resolve(storageDir, 'models', `${MODEL_SHA256}.onnx`));
      assert.ok((await readFile(first.onnxPath)).equals(modelBytes));
      assert.equal(modelRequests, 1);
      assert.ok(progress.length >= 2, 'progress is reported while the bytes arrive');
      assert.ok(progress.every(([, total]) => total === modelBytes.length));
      assert.ok(progress.every(([received], i) => i === 0 || received >= progress[i - 1][0]), 'progress never goes back');
      assert.equal(progress[progress.length - 1][0], modelBytes.length);
      assert.deepEqual(await storedFiles(), [`${MODEL_SHA256}.onnx`]);

      const second = await resolveModel(`${base}/models/model.json`, { bundledDir, storageDir, onProgress: () => assert.fail('no download expected') });
      assert.equal(second.onnxPath, first.onnxPath);
      assert.equal(modelRequests, 1, 'the verified file is reused');
    });

    it('follows a redirect to the descriptor', async () => {
      const resolved = await resolveModel(`${base}/moved.json`, { bundledDir, storageDir });
      assert.ok((await readFile(resolved.onnxPath)).equals(modelBytes));
    });

    it('gives up after 5 redirects', async () => {
      await assert.rejects(resolveModel(`${base}/loop.json`, { bundledDir, storageDir }), /more than 5 redirects/);
    });

    it('refuses a file whose hash does not match, naming both hashes and leaving nothing behind', async () => {
      await assert.rejects(resolveModel(`${base}/wrong-hash.json`, { bundledDir, storageDir }), (error: unknown) => {
        assert.ok(error instanceof ChecksumMismatchError);
        assert.ok(error.message.includes(MODEL_SHA256), 'names the actual hash');
        assert.ok(error.message.includes('ab'.repeat(32)), 'names the expected hash');
        return true;
      });
      assert.deepEqual(await storedFiles(), []);
    });

    it('refuses a hash the user did not pin', async () => {
      await assert.rejects(
        resolveModel(`${base}/model.json`, { bundledDir, storageDir, expectedSha256: 'cd'.repeat(32) }),
        /declares SHA-256 83530ad8.* but cdcd.* is expected/,
      );
      assert.equal(modelRequests, 0);
    });

    it('removes the partial file when cancelled midway', async () => {
      const controller = new AbortController();
      let largestSeen = 0;
      await assert.rejects(
        resolveModel(`${base}/slow.json`, {
          bundledDir,
          storageDir,
          signal: controller.signal,
          onProgress: (received) => {
            largestSeen = received;
            if (received >= 100_000) controller.abort();
          },
        }),
        { name: 'AbortError' },
      );
      assert.ok(largestSeen >= 100_000 && largestSeen < modelBytes.length, `cancelled midway (at ${largestSeen} bytes)`);
      assert.deepEqual(await storedFiles(), []);
    });

    it('requires sha256 in a descriptor loaded from a URL', async () => {
      await assert.rejects(resolveModel(`${base}/no-hash.json`, { bundledDir, storageDir }), /field "sha256" is required/);
    });

    it('reports HTTP errors with their status, for the descriptor and for the model file', async () => {
      await assert.rejects(resolveModel(`${base}/missing.json`, { bundledDir, storageDir }), /missing\.json failed: HTTP 404 Not Found/);
      await assert.rejects(resolveModel(`${base}/lost-file.json`, { bundledDir, storageDir }), /lost\.onnx failed: HTTP 404/);
      assert.deepEqual(await storedFiles(), []);
    });

    it('refuses plain http to any host but this machine, for descriptors and model files', async () => {
      await assert.rejects(resolveModel('http://example.com/model.json', { bundledDir, storageDir }), /Refusing to download .* only https:\/\//);
      await assert.rejects(resolveModel('http://10.0.0.1/model.json', { bundledDir, storageDir }), /only https:\/\//);
      await assert.rejects(resolveModel(`${base}/remote-http.json`, { bundledDir, storageDir }), /from http:\/\/example\.com\/m\.onnx: only https/);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
