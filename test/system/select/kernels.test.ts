// The ONNX kernels (built by tools/build-kernels.ts) compute what the JS reference computes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { JsMatrixKernels } from '../../../src/core/select/kernels/jsKernels';
import { OnnxMatrixKernels } from '../../../src/core/select/kernels/onnxKernels';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import { distDir } from '../../support/paths';

describe('matrix kernels: onnxruntime against JS', () => {
  const dir = join(distDir, 'models', 'kernels');
  const random = new SeededRandom(4);
  const values = (n: number) => Float32Array.from({ length: n }, () => random.normal());
  let onnx: OnnxMatrixKernels;
  const js = new JsMatrixKernels();

  before(async function () {
    assert.ok(OnnxMatrixKernels.available(dir), `kernels are built in ${dir} (npm run build)`);
    onnx = await OnnxMatrixKernels.open(dir);
  });
  after(() => onnx?.dispose());

  it('minCosineDistance agrees, including a running minimum that is already lower', async () => {
    const [rows, width, queries] = [37, 19, 6];
    const points = values(rows * width);
    const q = values(queries * width);
    const current = Float32Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? -50 : 50));
    const a = await onnx.minCosineDistance(points, rows, width, q, queries, current);
    const b = await js.minCosineDistance(points, rows, width, q, queries, current);
    for (let i = 0; i < rows; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-4 * Math.max(1, Math.abs(b[i])), `row ${i}: ${a[i]} vs ${b[i]}`);
    assert.equal(a[0], -50, 'a lower running value is kept');
  });

  it('gemm agrees', async () => {
    const [rows, inner, cols] = [23, 31, 5];
    const a = values(rows * inner);
    const b = values(inner * cols);
    const bias = values(cols);
    const x = await onnx.gemm(a, rows, inner, b, cols, bias);
    const y = await js.gemm(a, rows, inner, b, cols, bias);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) < 1e-4 * Math.max(1, Math.abs(y[i])));
  });
});
