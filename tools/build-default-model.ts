// Builds the bundled encoders: node dist/tools/build-default-model.js [modelsDir]
// Writes <modelsDir>/<setting>/model.onnx and model.json (its descriptor) for every entry of
// BUNDLED_MODELS (default: dist/models). Same inputs, same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_MODEL_FILE, BUNDLED_MODELS, bundledModelDescriptor, convertBundledModel } from './keras-to-onnx/bundled-models';

function main(): void {
  const modelsDir = process.argv[2] ?? join('dist', 'models');
  for (const spec of BUNDLED_MODELS) {
    const model = convertBundledModel(spec);
    const descriptor = bundledModelDescriptor(spec, model.onnx);
    const outDir = join(modelsDir, spec.setting);
    mkdirSync(outDir, { recursive: true });
    const modelPath = join(outDir, BUNDLED_MODEL_FILE);
    writeFileSync(modelPath, model.onnx);
    writeFileSync(join(outDir, 'model.json'), `${JSON.stringify(descriptor, null, 2)}\n`);
    const megabytes = (model.onnx.byteLength / 1024 / 1024).toFixed(1);
    console.log(`${modelPath}: ${megabytes} MiB, ${model.nodeCount} nodes (${descriptor.id})`);
  }
}

main();
