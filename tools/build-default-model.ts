// Builds the bundled encoder: node dist/tools/build-default-model.js [outDir]
// Writes <outDir>/model.onnx and <outDir>/model.json (its descriptor). Same inputs, same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertDefaultModel } from './keras-to-onnx/default-model';
import { DEFAULT_MODEL_FILE, defaultModelDescriptor } from './keras-to-onnx/default-descriptor';

function main(): void {
  const outDir = process.argv[2] ?? join('dist', 'models', 'default');
  const model = convertDefaultModel();
  const descriptor = defaultModelDescriptor(model.onnx);

  mkdirSync(outDir, { recursive: true });
  const modelPath = join(outDir, DEFAULT_MODEL_FILE);
  writeFileSync(modelPath, model.onnx);
  writeFileSync(join(outDir, 'model.json'), `${JSON.stringify(descriptor, null, 2)}\n`);

  const megabytes = (model.onnx.byteLength / 1024 / 1024).toFixed(1);
  console.log(`${modelPath}: ${megabytes} MiB, ${model.nodeCount} nodes (${descriptor.id})`);
}

main();
