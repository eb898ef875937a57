import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { repoRoot } from '../support/paths';
import type { E2eTest } from './e2eTest';

const MODEL = 'mobilenetv2-12-int8';
/** Where the pulled model lands: <globalStorage>/models/models/<id>-<sha256 prefix>/. */
const PREPARED_FOLDER = `${MODEL}-83530ad811bc31d2`;

/**
 * The company mirror for this test: a loopback server that serves ../shared/models, slowly enough
 * (64 KiB every 60 ms, about 3.5 s for the 3.7 MB file) for the progress notification to be seen.
 */
let mirror: { server: Server; url: string; requests: string[] } | undefined;

async function startMirror(): Promise<{ server: Server; url: string; requests: string[] }> {
  const published = readFileSync(resolve(repoRoot, '..', 'shared', 'models', `${MODEL}.onnx`));
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url !== `/zoo/${MODEL}.onnx`) {
      response.writeHead(404, 'Not Found');
      return void response.end();
    }
    response.writeHead(200, { 'content-length': String(published.length) });
    let offset = 0;
    const timer = setInterval(() => {
      if (response.destroyed || offset >= published.length) {
        clearInterval(timer);
        return void response.end();
      }
      response.write(published.subarray(offset, offset + 65536));
      offset += 65536;
    }, 60);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/zoo`, requests };
}

/** code-server reads machine-scoped settings of its remote window from <user-data-dir>/Machine/settings.json. */
function machineSettingsPath(userDataDir: string): string {
  return join(userDataDir, 'Machine', 'settings.json');
}

function readSettings(path: string): Record<string, unknown> {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
}

function findFolder(root: string, name: string, depth = 8): string | undefined {
  if (depth === 0 || !existsSync(root)) return undefined;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(root, entry.name);
    if (entry.name === name) return path;
    const found = findFolder(path, name, depth - 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * A user picks a catalogue model from Curator: Choose Embedding Model: the row shows its size,
 * licence and that it is not on disk; a progress notification runs while it downloads from the
 * mirror; then the setting names it and the verified model is on disk.
 */
export const chooseEmbeddingModelFromPalette: E2eTest = {
  name: 'Choose Embedding Model pulls a catalogue model from a mirror with a progress notification',
  timeoutMs: 90_000,
  async prepare(_workspace, { userDataDir }) {
    mirror = await startMirror();
    const path = machineSettingsPath(userDataDir);
    mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
    writeFileSync(path, JSON.stringify({ ...readSettings(path), 'curator.modelMirror': mirror.url }, null, 2));
  },
  async run({ workbench, userDataDir }) {
    assert.ok(mirror, 'prepare started the mirror');
    const settingsFiles = [machineSettingsPath(userDataDir), join(userDataDir, 'User', 'settings.json')];
    const saved = settingsFiles.map((path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined));
    try {
      await workbench.waitForExplorer();
      await workbench.runCommand('Curator: Choose Embedding Model');
      const row = await workbench.pickQuickPickRow(MODEL, new RegExp(`${MODEL}.*3\\.7 MB · not on disk · Apache-2\\.0`));
      assert.match(row, /MobileNetV2 \(ImageNet, int8, ONNX Model Zoo\)/, `the row names the model: ${row}`);

      // The notification shows the bytes as they arrive from the mirror, with Cancel.
      const progress = await workbench.waitForToast(new RegExp(`Curator: Getting model ${MODEL}.*downloading [\\d.]+ MB of 3\\.7 MB`), 15_000);
      await workbench.screenshot('model-download-progress');
      assert.ok(!/3\.7 MB of 3\.7 MB/.test(progress), `seen while the download runs: ${progress}`);
      const done = await workbench.waitForToast(new RegExp(`embedding model set to ${MODEL} \\(downloaded and verified\\)`), 45_000);
      await workbench.screenshot('model-chosen');
      assert.match(done, /Compute Embeddings embeds with it/);

      assert.deepEqual(mirror.requests, [`/zoo/${MODEL}.onnx`], 'the file came from the mirror, once');
      const written = settingsFiles.filter((path) => readSettings(path)['curator.model'] === MODEL);
      assert.equal(written.length, 1, `curator.model is ${MODEL} in the user's (machine) settings: ${settingsFiles.join(', ')}`);
      process.stdout.write(`  curator.model written to ${written[0]}\n`);
      const stored = findFolder(userDataDir, PREPARED_FOLDER);
      assert.ok(stored, `the prepared model is stored under ${userDataDir}`);
      assert.ok(existsSync(join(stored, 'model.onnx')) && existsSync(join(stored, 'model.json')));
      assert.deepEqual(readdirSync(join(stored, '..')).filter((name) => name.endsWith('.partial')), [], 'no partial download is left');
    } finally {
      // Later tests in this code-server run with the bundled default and no mirror, as before.
      settingsFiles.forEach((path, i) => (saved[i] === undefined ? rmSync(path, { force: true }) : writeFileSync(path, saved[i]!)));
      const settings = readSettings(settingsFiles[0]);
      delete settings['curator.modelMirror'];
      delete settings['curator.model'];
      writeFileSync(settingsFiles[0], JSON.stringify(settings, null, 2));
      const stored = findFolder(userDataDir, PREPARED_FOLDER);
      if (stored) rmSync(stored, { recursive: true, force: true });
      mirror.server.closeAllConnections();
      mirror.server.close();
      mirror = undefined;
    }
  },
};
