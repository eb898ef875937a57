// Plain JS versions of the selection kernels: used when the ONNX kernels are not built, and as the
// reference the ONNX path is checked and timed against. Loops are blocked by four query rows so
// each pool row is read once per block instead of once per query.
import type { MatrixKernels } from '../../math/matrixKernels';

export class JsMatrixKernels implements MatrixKernels {
  readonly name = 'js';

  async minCosineDistance(points: Float32Array, rows: number, width: number, queries: Float32Array, queryRows: number, current: Float32Array): Promise<Float32Array> {
    const out = Float32Array.from(current.subarray(0, rows));
    for (let i = 0; i < rows; i++) {
      const p = i * width;
      let best = -Infinity;
      let q = 0;
      for (; q + 4 <= queryRows; q += 4) {
        const a = q * width;
        const b = a + width;
        const c = b + width;
        const d = c + width;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let k = 0; k < width; k++) {
          const x = points[p + k];
          s0 += x * queries[a + k];
          s1 += x * queries[b + k];
          s2 += x * queries[c + k];
          s3 += x * queries[d + k];
        }
        best = Math.max(best, s0, s1, s2, s3);
      }
      for (; q < queryRows; q++) {
        const a = q * width;
        let s = 0;
        for (let k = 0; k < width; k++) s += points[p + k] * queries[a + k];
        if (s > best) best = s;
      }
      const fresh = 1 - best;
      if (fresh < out[i]) out[i] = fresh;
    }
    return out;
  }

  async gemm(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, out?: Float32Array): Promise<Float32Array> {
    const product = out ? out.subarray(0, rows * cols) : new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) productRow(a, i, inner, b, cols, bias, product.subarray(i * cols, (i + 1) * cols));
    return product;
  }

  async gemmTopK(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, count: number): Promise<Float32Array> {
    const out = new Float32Array(rows * count);
    const row = new Float32Array(cols);
    for (let i = 0; i < rows; i++) {
      productRow(a, i, inner, b, cols, bias, row);
      const top = out.subarray(i * count, (i + 1) * count).fill(-Infinity);
      let filled = 0;
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (filled === count && v <= top[count - 1]) continue;
        let at = Math.min(filled, count - 1);
        while (at > 0 && top[at - 1] < v) {
          top[at] = top[at - 1];
          at--;
        }
        top[at] = v;
        if (filled < count) filled++;
      }
    }
    return out;
  }

  async gemmArgMax(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, out: Int32Array): Promise<Int32Array> {
    const row = new Float32Array(cols);
    for (let i = 0; i < rows; i++) {
      productRow(a, i, inner, b, cols, bias, row);
      let best = 0;
      for (let j = 1; j < cols; j++) if (row[j] > row[best]) best = j;
      out[i] = best;
    }
    return out;
  }

  async dispose(): Promise<void> {}
}

/** Row i of a . b + bias into `row` (cols long). */
function productRow(a: Float32Array, i: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, row: Float32Array): void {
  row.set(bias.subarray(0, cols));
  for (let k = 0; k < inner; k++) {
    const x = a[i * inner + k];
    if (x === 0) continue;
    const bRow = k * cols;
    for (let j = 0; j < cols; j++) row[j] += x * b[bRow + j];
  }
}
