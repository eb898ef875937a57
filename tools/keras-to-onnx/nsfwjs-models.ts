// Reads the TF.js Keras-layers models that the nsfwjs npm package ships (dist/models/<name>/).
//
// nsfwjs wraps its TF.js model files as browserify "standalone" UMD bundles so that bundlers can
// import them: model.min.js's single module exports { modelTopology, weightsManifest } as a JS
// object literal (not JSON: unquoted keys, `!1` for false), and each group1-shardKofN.min.js
// module exports one weight file as a base64 string. Under Node the UMD header takes its CommonJS
// branch, so `require` yields exactly those values; nsfwjs loads them the same way.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KerasModelArtifacts, KerasModelTopology, WeightsManifestGroup } from './keras-model';

/** The nsfwjs models stored as Keras layers (mobilenet_v2_mid is a graph model and is not read here). */
export type NsfwjsModelName = 'mobilenet_v2' | 'inception_v3';

export interface NsfwjsModelFiles {
  topologyFile: string;
  /** Weight shards in manifest order. */
  shardFiles: string[];
}

/** Paths of one model's files inside the installed nsfwjs package. */
export function nsfwjsModelFiles(name: NsfwjsModelName): NsfwjsModelFiles {
  // The package's `exports` map hides package.json, so start from its CommonJS entry (dist/cjs/index.js).
  const modelDir = join(dirname(require.resolve('nsfwjs')), '..', 'models', name);
  const topologyFile = join(modelDir, 'model.min.js');
  const manifest = readModule(topologyFile).weightsManifest;
  if (!Array.isArray(manifest) || manifest.length !== 1) throw new Error(`${topologyFile}: expected one weight group`);
  return { topologyFile, shardFiles: manifest[0].paths.map((path) => join(modelDir, `${path}.min.js`)) };
}

/** Kept for the bundled MobileNetV2's callers. */
export function nsfwjsMobileNetV2Files(): NsfwjsModelFiles {
  return nsfwjsModelFiles('mobilenet_v2');
}

/** SHA-256 of every source file, so a descriptor can say exactly which nsfwjs weights it was built from. */
export function nsfwjsSourceDigest(files: NsfwjsModelFiles): string {
  const hash = createHash('sha256');
  for (const file of [files.topologyFile, ...files.shardFiles]) hash.update(readFileSync(file));
  return hash.digest('hex');
}

export function loadNsfwjsModel(files: NsfwjsModelFiles): KerasModelArtifacts {
  const model = readModule(files.topologyFile);
  if (!model.modelTopology?.model_config || !Array.isArray(model.weightsManifest)) {
    throw new Error(`${files.topologyFile} does not export { modelTopology, weightsManifest }`);
  }
  if (model.weightsManifest.length !== 1 || model.weightsManifest[0].paths.length !== files.shardFiles.length) {
    throw new Error(`${files.topologyFile}: expected one weight group with ${files.shardFiles.length} shards`);
  }
  const shards = files.shardFiles.map((file) => {
    const base64 = createRequire(file)(file) as unknown;
    if (typeof base64 !== 'string') throw new Error(`${file} does not export a base64 string`);
    return Buffer.from(base64, 'base64');
  });
  return {
    modelTopology: model.modelTopology,
    weightSpecs: model.weightsManifest[0].weights,
    // TF.js splits one byte stream into shards of fixed size; joined they are the weight file again.
    weightData: new Uint8Array(Buffer.concat(shards)),
  };
}

export function loadNsfwjsMobileNetV2(files: NsfwjsModelFiles = nsfwjsMobileNetV2Files()): KerasModelArtifacts {
  return loadNsfwjsModel(files);
}

function readModule(file: string): { modelTopology?: KerasModelTopology; weightsManifest?: WeightsManifestGroup[] } {
  return createRequire(file)(file) as { modelTopology?: KerasModelTopology; weightsManifest?: WeightsManifestGroup[] };
}
