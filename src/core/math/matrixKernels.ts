// The two dense operations selection spends its time in, behind one interface so the same selector
// runs on onnxruntime (blocked MLAS/CUDA kernels) or on the plain JS fallback.

export interface MatrixKernels {
  /** Which implementation runs, for logs and benchmarks. */
  readonly name: string;
  /**
   * Returns min(current[i], 1 - max_j points[i] . queries[j]) for every row i of `points`
   * ([rows, width], row-major) against `queries` ([queryRows, width]).
   */
  minCosineDistance(points: Float32Array, rows: number, width: number, queries: Float32Array, queryRows: number, current: Float32Array): Promise<Float32Array>;
  /** a [rows, inner] . b [inner, cols] + bias [cols], row-major. */
  gemm(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array): Promise<Float32Array>;
  dispose(): Promise<void>;
}
