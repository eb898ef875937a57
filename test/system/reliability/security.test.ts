// What an untrusted workspace or a hostile server cannot do: steer model settings (machine-scoped),
// steer scanning in Restricted Mode (restricted settings), run inline script in the webviews, or
// get a model loaded over plain http, through an https-to-http redirect, or from a damaged file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import { embedDataset } from '../../../src/core/jobs/embedDataset';
import { resolveModel } from '../../../src/core/model/registry';
import { makeNoiseDataset } from './noiseDataset';
import { bundledModelDir, repoRoot, tempDir } from '../../support/paths';

const run = promisify(execFile);

interface SettingContribution {
  scope?: string;
}

describe('reliability: security', function () {
  this.timeout(120_000);

  describe('workspace trust in package.json', () => {
    let manifest: {
      capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
      contributes: { configuration: { properties: Record<string, SettingContribution> }; commands: Array<{ command: string; enablement?: string }> };
    };
    before(async () => {
      manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
    });

    it('makes the settings that name a model or a device machine-scoped', () => {
      const settings = manifest.contributes.configuration.properties;
      for (const key of ['curator.model', 'curator.executionProvider', 'curator.visionLanguage.imageModel', 'curator.visionLanguage.textEncoder', 'curator.visionLanguage.vocabulary']) assert.equal(settings[key]?.scope, 'machine', key);
    });

    it('supports untrusted workspaces only in part, and ignores the workspace-steering settings there', () => {
      const { supported, restrictedConfigurations = [] } = manifest.capabilities.untrustedWorkspaces;
      assert.equal(supported, 'limited');
      const settings = manifest.contributes.configuration.properties;
      const workspaceScoped = Object.keys(settings).filter((key) => settings[key]!.scope !== 'machine' && settings[key]!.scope !== 'application');
      // Every setting a workspace may set is either restricted or cannot point anywhere (a number).
      const harmless = ['curator.batchSize'];
      assert.deepEqual(workspaceScoped.filter((key) => !restrictedConfigurations.includes(key)).sort(), harmless);
      for (const key of ['curator.cacheLocation', 'curator.unlabeledFolderName', 'curator.datasetRoots', 'curator.labelStudio.documentRoot']) assert.ok(restrictedConfigurations.includes(key), key);
    });

    it('enables the commands that write into the workspace only when it is trusted', () => {
      const writers = [
        'curator.computeEmbeddings',
        'curator.exportEmbeddings',
        'curator.selectSamples',
        'curator.exportSelection',
        'curator.suggestLabels',
        'curator.findLabelIssues',
        'curator.acceptSuggestions',
        'curator.importLabels',
        'curator.groupUnlabelled',
        'curator.findDuplicates',
        'curator.findImageProblems',
      ];
      for (const id of writers) {
        const command = manifest.contributes.commands.find((c) => c.command === id);
        assert.equal(command?.enablement, 'isWorkspaceTrusted', id);
      }
    });
  });

  describe('webview Content Security Policy', () => {
    it('every panel builds its page with webviewPage, the one place that writes a CSP', async () => {
      for (const file of ['src/host/summaryPanel.ts', 'src/host/review/reviewHtml.ts']) {
        const source = await readFile(join(repoRoot, file), 'utf8');
        assert.match(source, /webviewPage\(/, file);
        assert.doesNotMatch(source, /Content-Security-Policy|<script\b/, `${file} writes no page of its own`);
      }
    });

    for (const file of ['src/host/webviewPage.ts']) {
      it(`${file}: default-src 'none', scripts only by nonce, no unsafe-inline/unsafe-eval, no inline script or handlers`, async () => {
        const source = await readFile(join(repoRoot, file), 'utf8');
        const policies = [...source.matchAll(/http-equiv="Content-Security-Policy" content="([^"]+)"/g)].map((match) => match[1]!);
        assert.equal(policies.length, 1, 'one CSP meta tag');
        const policy = policies[0]!;
        assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
        assert.match(policy, /default-src 'none'/);
        assert.match(policy, /script-src 'nonce-\$\{nonce\}';/);
        for (const script of source.matchAll(/<script\b[^>]*>/g)) assert.match(script[0], /nonce="\$\{nonce\}" src=/, 'every script is an external file with the nonce');
        assert.doesNotMatch(source, /<script\b[^>]*>[^<\s]/, 'no inline script body');
        assert.doesNotMatch(source, /\son[a-z]+\s*=\s*["']/i, 'no inline event handlers');
      });
    }

    it('the webview bundles use neither eval nor new Function', async () => {
      for (const bundle of ['summary.js', 'review.js']) {
        const code = await readFile(join(repoRoot, 'dist', bundle), 'utf8');
        assert.doesNotMatch(code, /\beval\s*\(|new Function\s*\(/, bundle);
      }
    });
  });

  describe('model downloads and loading', () => {
    let work: string;
    let cleanup: () => Promise<void>;
    let httpsServer: https.Server;
    let httpServer: Server;
    let httpsBase: string;
    let httpBase: string;
    let corruptRequests = 0;
    let corruptBytes: Buffer;
    let previousCa: https.AgentOptions['ca'];
    const encoders = new EncoderCache();

    before(async function () {
      ({ dir: work, cleanup } = await tempDir('security'));
      const keyPath = join(work, 'key.pem');
      const certPath = join(work, 'cert.pem');
      try {
        await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
      } catch (error) {
        console.log(`      openssl is not available (${(error as Error).message.split('\n')[0]}); https tests skipped`);
        this.skip();
      }
      const cert = await readFile(certPath);
      // Trust the test certificate for this process's https requests, as NODE_EXTRA_CA_CERTS would.
      previousCa = https.globalAgent.options.ca;
      https.globalAgent.options.ca = [cert];

      const model = await readFile(join(bundledModelDir, 'model.onnx'));
      const descriptor = JSON.parse(await readFile(join(bundledModelDir, 'model.json'), 'utf8')) as Record<string, unknown>;
      corruptBytes = Buffer.concat([model.subarray(0, 4096), Buffer.from('this is not the rest of an ONNX model')]);
      const described = (file: string, bytes: Buffer) => JSON.stringify({ ...descriptor, id: `served-${file.replace(/\W/g, '-')}`, file, sha256: sha256(bytes) });

      const routes = (request: IncomingMessage, response: ServerResponse): void => {
        const path = request.url ?? '/';
        if (path === '/model.json') return void response.end(described('model.onnx', model));
        if (path === '/model.onnx') return void response.end(model);
        if (path === '/corrupt.json') return void response.end(described('corrupt.onnx', corruptBytes));
        if (path === '/corrupt.onnx') {
          corruptRequests++;
          return void response.end(corruptBytes);
        }
        if (path === '/downgrade.json') {
          response.writeHead(302, { location: `${httpBase}/model.json` });
          return void response.end();
        }
        response.writeHead(404).end();
      };
      httpsServer = https.createServer({ key: await readFile(keyPath), cert }, routes);
      httpServer = createHttpServer(routes);
      await new Promise<void>((done) => httpsServer.listen(0, '127.0.0.1', done));
      await new Promise<void>((done) => httpServer.listen(0, '127.0.0.1', done));
      httpsBase = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}`;
      httpBase = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    });
    after(async () => {
      https.globalAgent.options.ca = previousCa;
      await encoders.dispose();
      for (const server of [httpsServer, httpServer]) {
        server?.closeAllConnections();
        await new Promise((done) => (server ? server.close(done) : done(undefined)));
      }
      await cleanup?.();
    });

    const options = () => ({ bundledDir: bundledModelDir, storageDir: join(work, 'storage') });

    it('downloads and verifies a model over https (the server and its certificate work)', async () => {
      const resolved = await resolveModel(`${httpsBase}/model.json`, options());
      assert.equal(resolved.source, 'download');
    });

    it('refuses plain http to another machine, before connecting', async () => {
      await assert.rejects(resolveModel('http://203.0.113.7/model.json', options()), /Refusing to download a model descriptor from http:\/\/203\.0\.113\.7\/model\.json: only https:\/\//);
    });

    it('refuses a redirect from https to http, even to this machine', async () => {
      await assert.rejects(resolveModel(`${httpsBase}/downgrade.json`, options()), /refusing the redirect from https:\/\/127\.0\.0\.1:\d+\/downgrade\.json to non-https http:\/\/127\.0\.0\.1:\d+\/model\.json/);
    });

    it('reports a downloaded model file that does not load, once per run, without downloading it again', async () => {
      const dir = join(work, 'dataset');
      const root = await makeNoiseDataset(dir, 2);
      const params = {
        root,
        unlabeledFolderName: 'unlabeled',
        cacheDir: join(dir, 'cache'),
        model: { setting: `${httpsBase}/corrupt.json`, ...options() },
        executionProvider: 'cpu' as const,
        batchSize: 4,
      };
      const loadFailure = /The ONNX file of model served-corrupt-onnx could not be loaded \(Protobuf parsing failed\): .*\.onnx is damaged or not an ONNX model\. Replace the file, or set curator\.model to another model\./;
      for (let attempt = 1; attempt <= 2; attempt++) {
        const started = performance.now();
        await assert.rejects(embedDataset(params, { encoders }), loadFailure);
        assert.ok(performance.now() - started < 10_000, 'fails at once instead of retrying');
      }
      assert.equal(corruptRequests, 1, 'the verified file is kept; the second run does not download it again');
    });

    it('reports a damaged model file named by a local descriptor', async () => {
      const descriptorPath = join(work, 'local.json');
      await writeFile(join(work, 'local.onnx'), corruptBytes);
      const descriptor = JSON.parse(await readFile(join(bundledModelDir, 'model.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(descriptorPath, JSON.stringify({ ...descriptor, id: 'local-damaged', file: 'local.onnx', sha256: sha256(corruptBytes) }));
      await assert.rejects(encoders.get({ setting: descriptorPath, ...options() }, 'cpu'), /The ONNX file of model local-damaged could not be loaded/);
    });
  });
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
