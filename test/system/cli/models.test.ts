// `curator models`, `curator models pull` and `--model <catalogue id>`, run as a user would, with
// CURATOR_MODEL_MIRROR pointing at a loopback server that serves ../shared/models.
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { cliPath, repoRoot, tempDir } from '../../support/paths';
import { runNodeScript, type CliRun } from '../../support/runCli';

const MODEL = 'mobilenetv2-12-int8';

describe('curator models', function () {
  this.timeout(120_000);
  let server: Server;
  let mirror: string;
  let requests: string[] = [];
  let work: string;
  let cleanup: () => Promise<void>;

  const curator = (env: Record<string, string>, ...args: string[]): Promise<CliRun> =>
    runNodeScript(cliPath, args, { ...process.env, XDG_CACHE_HOME: join(work, 'xdg'), CURATOR_MODEL_MIRROR: '', ...env });

  before(async () => {
    ({ dir: work, cleanup } = await tempDir('cli-models'));
    const published = await readFile(resolve(repoRoot, '..', 'shared', 'models', `${MODEL}.onnx`));
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      if (request.url === `/mirror/${MODEL}.onnx`) {
        response.writeHead(200, { 'content-length': String(published.length) });
        return void response.end(published);
      }
      response.writeHead(404, 'Not Found');
      response.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await cleanup();
  });

  it('lists the bundled model and the catalogue with licence, checksum, size and what is on disk', async () => {
    const run = await curator({}, 'models', '--json');
    assert.equal(run.code, 0, run.stderr);
    const { models } = JSON.parse(run.stdout) as { models: Array<{ id: string; kind: string; onDisk: boolean; sha256: string; size: number; license: string; quality: { knn20: number } | null }> };
    assert.equal(models[0].id, 'default');
    assert.equal(models[0].kind, 'bundled');
    const entry = models.find((m) => m.id === MODEL);
    assert.ok(entry);
    assert.deepEqual([entry.kind, entry.onDisk, entry.size, entry.sha256], ['catalogue', false, 3_655_640, '83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f']);
    // Its measured quality (bench/results/encoders.md) travels with the listing.
    assert.equal(entry.quality?.knn20, 0.63);
    assert.ok(models.filter((m) => m.kind === 'catalogue').length >= 4);
    const text = await curator({}, 'models');
    assert.match(text.stdout, /mobilenetv2-12-int8 {2}3\.7 MB {2}not downloaded {2}Apache-2\.0/);
  });

  it('pulls through the mirror with progress on stderr, then every command uses it offline', async () => {
    const pull = await curator({ CURATOR_MODEL_MIRROR: mirror }, 'models', 'pull', MODEL);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stderr, new RegExp(`Downloading model ${MODEL} from ${mirror.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .* of 3\\.7 MB`));
    assert.match(pull.stderr, /checksum verified, stored/);
    assert.match(pull.stdout, /downloaded, verified and stored at .*model\.onnx/);
    assert.deepEqual(requests, [`/mirror/${MODEL}.onnx`]);

    const listed = JSON.parse((await curator({}, 'models', '--json')).stdout) as { models: Array<{ id: string; onDisk: boolean }> };
    assert.equal(listed.models.find((m) => m.id === MODEL)?.onDisk, true);

    // A tiny dataset of real photographs; the mirror now points nowhere: the stored model must do.
    const dataset = join(work, 'photos');
    for (const label of ['cat', 'ship']) {
      await mkdir(join(dataset, label), { recursive: true });
      const source = resolve(repoRoot, '..', 'shared', 'data', 'cifar10-dev', 'test', label);
      for (const name of (await readdir(source)).sort().slice(0, 3)) await copyFile(join(source, name), join(dataset, label, name));
    }
    requests = [];
    const embed = await curator({ CURATOR_MODEL_MIRROR: 'http://127.0.0.1:9/' }, 'embed', dataset, '--model', MODEL, '--json');
    assert.equal(embed.code, 0, embed.stderr);
    const [root] = (JSON.parse(embed.stdout) as { roots: Array<{ modelId: string; embedded: number }> }).roots;
    assert.deepEqual([root.modelId, root.embedded], [MODEL, 6]);
    assert.deepEqual(requests, []);
    const again = await curator({}, 'models', 'pull', MODEL);
    assert.match(again.stdout, /already on disk/);
  });

  it('fails clearly on an unknown id (exit 2) and on a mirror without the file (exit 1)', async () => {
    const unknown = await curator({}, 'models', 'pull', 'no-such-model');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown model id "no-such-model"; the catalogue holds mobilenetv2-12-int8/);
    const missing = await runNodeScript(cliPath, ['models', 'pull', MODEL], { ...process.env, XDG_CACHE_HOME: join(work, 'fresh'), CURATOR_MODEL_MIRROR: `${mirror}/elsewhere` });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /curator: Downloading model mobilenetv2-12-int8 from http:\/\/127\.0\.0\.1:\d+\/mirror\/elsewhere\/mobilenetv2-12-int8\.onnx failed: HTTP 404 Not Found/);
  });
});
