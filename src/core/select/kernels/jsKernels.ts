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

  async gemm(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array): Promise<Float32Array> {
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = out.subarray(i * cols, (i + 1) * cols);
      row.set(bias.subarray(0, cols));
      for (let k = 0; k < inner; k++) {
        const x = a[i * inner + k];
        if (x === 0) continue;
        const bRow = k * cols;
        for (let j = 0; j < cols; j++) row[j] += x * b[bRow + j];
      }
    }
    return out;
  }

  async dispose(): Promise<void> {}
}
