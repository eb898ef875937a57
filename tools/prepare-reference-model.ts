// Writes the reference encoder (the ONNX Model Zoo's int8 MobileNetV2 with its embedding exposed)
// from a local copy of the published file, for benchmarks and tests:
//   node dist/tools/prepare-reference-model.js [published.onnx] [outDir]
// Defaults: ../shared/models/mobilenetv2-12-int8.onnx and .scratch/models/reference.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  MOBILENETV2_INT8_FILE_NAME,
  MOBILENETV2_INT8_SHA256,
  exposeMobileNetV2Int8Outputs,
  mobileNetV2Int8Descriptor,
} from '../src/core/model/referenceMobileNetV2';

export function prepareReferenceModel(publishedPath: string, outDir: string): string {
  const published = readFileSync(publishedPath);
  const sha256 = createHash('sha256').update(published).digest('hex');
  if (sha256 !== MOBILENETV2_INT8_SHA256) {
    throw new Error(`${publishedPath} has SHA-256 ${sha256}, not the published ${MOBILENETV2_INT8_SHA256}`);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model.onnx'), exposeMobileNetV2Int8Outputs(published));
  const descriptorPath = join(outDir, 'model.json');
  writeFileSync(descriptorPath, `${JSON.stringify(mobileNetV2Int8Descriptor('model.onnx'), null, 2)}\n`);
  return descriptorPath;
}

// Bundled into benchmarks too, where `require.main === module` would also hold: check the script's own name.
if (/prepare-reference-model\.js$/.test(process.argv[1] ?? '')) {
  const published = resolve(process.argv[2] ?? join('..', 'shared', 'models', MOBILENETV2_INT8_FILE_NAME));
  const outDir = resolve(process.argv[3] ?? join('.scratch', 'models', 'reference'));
  console.log(prepareReferenceModel(published, outDir));
}
