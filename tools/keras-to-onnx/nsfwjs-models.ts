// Reads the MobileNetV2 that the nsfwjs npm package ships (dist/models/mobilenet_v2/).
//
// nsfwjs wraps its TF.js model files as browserify "standalone" UMD bundles so that bundlers can
// import them: model.min.js's single module exports { modelTopology, weightsManifest } as a JS
// object literal (not JSON: unquoted keys, `!1` for false), and group1-shard1of1.min.js's module
// exports the weight file as one base64 string. Under Node the UMD header takes its CommonJS
// branch, so `require` yields exactly those values; nsfwjs loads them the same way.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KerasModelArtifacts, KerasModelTopology, WeightsManifestGroup } from './keras-model';

export interface NsfwjsModelFiles {
  topologyFile: string;
  shardFile: string;
}

/** Paths of the MobileNetV2 files inside the installed nsfwjs package. */
export function nsfwjsMobileNetV2Files(): NsfwjsModelFiles {
  // The package's `exports` map hides package.json, so start from its CommonJS entry (dist/cjs/index.js).
  const modelDir = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2');
  return {
    topologyFile: join(modelDir, 'model.min.js'),
    shardFile: join(modelDir, 'group1-shard1of1.min.js'),
  };
}

/** SHA-256 of both source files, so a descriptor can say exactly which nsfwjs weights it was built from. */
export function nsfwjsSourceDigest(files: NsfwjsModelFiles = nsfwjsMobileNetV2Files()): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(files.topologyFile));
  hash.update(readFileSync(files.shardFile));
  return hash.digest('hex');
}

export function loadNsfwjsMobileNetV2(files: NsfwjsModelFiles = nsfwjsMobileNetV2Files()): KerasModelArtifacts {
  const load = createRequire(files.topologyFile);
  const model = load(files.topologyFile) as { modelTopology?: KerasModelTopology; weightsManifest?: WeightsManifestGroup[] };
  const shardBase64 = load(files.shardFile) as unknown;

  if (!model.modelTopology?.model_config || !Array.isArray(model.weightsManifest)) {
    throw new Error(`${files.topologyFile} does not export { modelTopology, weightsManifest }`);
  }
  if (typeof shardBase64 !== 'string') throw new Error(`${files.shardFile} does not export a base64 string`);
  if (model.weightsManifest.length !== 1 || model.weightsManifest[0].paths.length !== 1) {
    throw new Error(`${files.topologyFile}: expected one weight group with one shard`);
  }
  return {
    modelTopology: model.modelTopology,
    weightSpecs: model.weightsManifest[0].weights,
    weightData: new Uint8Array(Buffer.from(shardBase64, 'base64')),
  };
}
