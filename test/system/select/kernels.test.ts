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

  it('gemm writes into a given buffer, at an offset too, and leaves the rest of it alone', async () => {
    const [rows, inner, cols] = [9, 7, 4];
    const a = values(rows * inner);
    const b = values(inner * cols);
    const bias = values(cols);
    const expected = await js.gemm(a, rows, inner, b, cols, bias);
    for (const kernels of [onnx, js]) {
      const backing = new Float32Array(3 + rows * cols + 5).fill(7);
      const out = backing.subarray(3);
      const product = await kernels.gemm(a, rows, inner, b, cols, bias, out);
      assert.equal(product.buffer, backing.buffer, `${kernels.name}: the product is the given buffer`);
      assert.equal(product.length, rows * cols);
      for (let i = 0; i < rows * cols; i++) assert.ok(Math.abs(out[i] - expected[i]) < 1e-4 * Math.max(1, Math.abs(expected[i])), `${kernels.name} ${i}`);
      assert.deepEqual([...backing.subarray(0, 3), ...backing.subarray(3 + rows * cols)], [7, 7, 7, 7, 7, 7, 7, 7], `${kernels.name}: nothing written outside`);
    }
  });

  it('gemmTopK gives each row\'s largest entries in order, skipping columns biased to -Infinity', async () => {
    const [rows, inner, cols, count] = [11, 6, 40, 5];
    const a = values(rows * inner);
    const b = values(inner * cols);
    const bias = Float32Array.from({ length: cols }, (_, j) => (j % 4 === 0 ? -Infinity : 0));
    const product = await js.gemm(a, rows, inner, b, cols, bias);
    for (const kernels of [onnx, js]) {
      const top = await kernels.gemmTopK(a, rows, inner, b, cols, bias, count);
      assert.equal(top.length, rows * count);
      for (let i = 0; i < rows; i++) {
        const expected = [...product.subarray(i * cols, (i + 1) * cols)].sort((x, y) => y - x).slice(0, count);
        for (let t = 0; t < count; t++) assert.ok(Math.abs(top[i * count + t] - expected[t]) < 1e-4, `${kernels.name} row ${i} #${t}: ${top[i * count + t]} vs ${expected[t]}`);
      }
    }
    // Every column excluded: the maximum is -Infinity.
    const none = await onnx.gemmTopK(a, rows, inner, b, cols, new Float32Array(cols).fill(-Infinity), 1);
    assert.ok(none.every((v) => v === -Infinity));
  });

  it('gemmArgMax gives each row\'s largest column, the same as the JS reference', async () => {
    const [rows, inner, cols] = [50, 8, 13];
    const a = values(rows * inner);
    const b = values(inner * cols);
    const bias = values(cols);
    const x = await onnx.gemmArgMax(a, rows, inner, b, cols, bias, new Int32Array(rows));
    const y = await js.gemmArgMax(a, rows, inner, b, cols, bias, new Int32Array(rows));
    assert.deepEqual([...x], [...y]);
    const product = await js.gemm(a, rows, inner, b, cols, bias);
    for (let i = 0; i < rows; i++) assert.equal(product[i * cols + y[i]], Math.max(...product.subarray(i * cols, (i + 1) * cols)));
  });
});
