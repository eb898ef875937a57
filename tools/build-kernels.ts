// Builds selection's ONNX kernels: node dist/tools/build-kernels.js [outDir]
// Writes <outDir>/*.onnx (default dist/models/kernels). Same code, same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allKernelGraphs } from './kernels/kernelGraphs';

function main(): void {
  const outDir = process.argv[2] ?? join('dist', 'models', 'kernels');
  mkdirSync(outDir, { recursive: true });
  for (const graph of allKernelGraphs()) {
    writeFileSync(join(outDir, graph.file), graph.bytes);
    console.log(`${join(outDir, graph.file)}: ${graph.bytes.byteLength} bytes`);
  }
}

main();
