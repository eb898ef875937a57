// The engine's pullModel call (what Curator: Choose Embedding Model runs): a catalogue model pulled
// through a loopback mirror in the engine process, with progress events, cancellation, and reuse.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { EngineCallError, EngineClient } from '../../../src/core/engine/engineClient';
import { bundledModelDir, enginePath, repoRoot, tempDir } from '../../support/paths';

const MODEL = 'mobilenetv2-12-int8';

describe('engine pullModel', function () {
  this.timeout(60_000);
  let engine: EngineClient;
  let server: Server;
  let base: string;
  let published: Buffer;

  function sendSlowly(response: ServerResponse): void {
    response.writeHead(200, { 'content-length': String(published.length) });
    let offset = 0;
    const timer = setInterval(() => {
      if (response.destroyed || offset >= published.length) return clearInterval(timer);
      response.write(published.subarray(offset, offset + 32768));
      offset += 32768;
    }, 20);
    response.on('close', () => clearInterval(timer));
  }

  before(async () => {
    published = await readFile(resolve(repoRoot, '..', 'shared', 'models', `${MODEL}.onnx`));
    server = createServer((request, response) => {
      if (request.url === `/fast/${MODEL}.onnx`) {
        response.writeHead(200, { 'content-length': String(published.length) });
        return void response.end(published);
      }
      if (request.url === `/slow/${MODEL}.onnx`) return sendSlowly(response);
      response.writeHead(404);
      response.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });
  beforeEach(() => {
    engine = new EngineClient({ enginePath });
  });
  afterEach(() => engine.dispose());

  it('downloads with progress, then finds the model on disk without downloading', async () => {
    const { dir, cleanup } = await tempDir('engine-pull');
    try {
      const model = { setting: MODEL, bundledDir: bundledModelDir, storageDir: join(dir, 'models'), mirror: `${base}/fast` };
      const progress: Array<{ received: number; total: number }> = [];
      const first = await engine.call('pullModel', { model }, { onProgress: (p) => progress.push(p) });
      assert.equal(first.modelId, MODEL);
      assert.equal(first.downloaded, true);
      assert.ok(existsSync(first.onnxPath));
      assert.ok(progress.length >= 1 && progress.every((p) => p.total === published.length));
      const second = await engine.call('pullModel', { model: { ...model, mirror: 'http://127.0.0.1:9/' } });
      assert.deepEqual([second.downloaded, second.onnxPath], [false, first.onnxPath]);
    } finally {
      await cleanup();
    }
  });

  it('cancels a download midway and keeps nothing', async () => {
    const { dir, cleanup } = await tempDir('engine-pull-cancel');
    try {
      const storageDir = join(dir, 'models');
      const controller = new AbortController();
      const call = engine.call(
        'pullModel',
        { model: { setting: MODEL, bundledDir: bundledModelDir, storageDir, mirror: `${base}/slow` } },
        { signal: controller.signal, onProgress: (p) => p.received > 300_000 && controller.abort() },
      );
      await assert.rejects(call, (error: unknown) => error instanceof EngineCallError && error.cancelled);
      // The engine removes the partial file when it sees the cancel; give it a moment.
      for (let i = 0; i < 50 && existsSync(join(storageDir, 'models')) && readdirSync(join(storageDir, 'models')).length > 0; i++) {
        await new Promise((done) => setTimeout(done, 100));
      }
      assert.deepEqual(existsSync(join(storageDir, 'models')) ? readdirSync(join(storageDir, 'models')) : [], []);
      const pong = await engine.call('ping', {});
      assert.ok(pong.pid > 0, 'the engine keeps running');
    } finally {
      await cleanup();
    }
  });
});
