// The dense operations selection spends its time in, behind one interface so the same selector
// runs on onnxruntime (blocked MLAS/CUDA kernels) or on the plain JS fallback.

export interface MatrixKernels {
  /** Which implementation runs, for logs and benchmarks. */
  readonly name: string;
  /**
   * Returns min(current[i], 1 - max_j points[i] . queries[j]) for every row i of `points`
   * ([rows, width], row-major) against `queries` ([queryRows, width]).
   */
  minCosineDistance(points: Float32Array, rows: number, width: number, queries: Float32Array, queryRows: number, current: Float32Array): Promise<Float32Array>;
  /**
   * a [rows, inner] . b [inner, cols] + bias [cols], row-major. With `out` (at least rows x cols
   * long) the product is written there and returned as its first rows x cols: loops that take one
   * block after another reuse one buffer instead of allocating a fresh one each time.
   */
  gemm(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, out?: Float32Array): Promise<Float32Array>;
  /** The `count` (1 <= count <= cols) largest entries of each row of a . b + bias, largest first: [rows, count]. */
  gemmTopK(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, count: number): Promise<Float32Array>;
  /** Index of the largest entry of each row of a . b + bias (the first of equal ones), into `out` [rows]. */
  gemmArgMax(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, out: Int32Array): Promise<Int32Array>;
  dispose(): Promise<void>;
}
