// Selection kernels run by onnxruntime from the graphs tools/build-kernels.ts writes: blocked,
// multi-threaded matrix products (MLAS on CPU) instead of scalar JS loops over the pool.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { JsMatrixKernels } from './jsKernels';
import type { MatrixKernels } from '../../math/matrixKernels';

export const MIN_COSINE_DISTANCE_FILE = 'min_cosine_distance.onnx';
export const GEMM_FILE = 'gemm.onnx';
export const GEMM_TOP_K_FILE = 'gemm_top_k.onnx';
export const GEMM_ARG_MAX_FILE = 'gemm_arg_max.onnx';
const KERNEL_FILES = [MIN_COSINE_DISTANCE_FILE, GEMM_FILE, GEMM_TOP_K_FILE, GEMM_ARG_MAX_FILE];

export class OnnxMatrixKernels implements MatrixKernels {
  readonly name = 'onnxruntime-cpu';

  private constructor(
    private readonly distance: ort.InferenceSession,
    private readonly dense: ort.InferenceSession,
    private readonly topK: ort.InferenceSession,
    private readonly argMax: ort.InferenceSession,
  ) {}

  /** True when `dir` holds every kernel file. */
  static available(dir: string | undefined): dir is string {
    return dir !== undefined && KERNEL_FILES.every((file) => existsSync(join(dir, file)));
  }

  static async open(dir: string): Promise<OnnxMatrixKernels> {
    // The threads sleep between runs instead of spinning: selection does JS work between kernel
    // calls, and on a 2-core machine spinning threads take the core it needs (TypiClust at
    // 100,000 x 1280 took 7.5-8.2 CPU seconds with spinning, 5.8-6.0 without, same picks).
    const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', extra: { session: { intra_op: { allow_spinning: '0' } } } };
    const [distance, dense, topK, argMax] = await Promise.all(KERNEL_FILES.map((file) => ort.InferenceSession.create(join(dir, file), options)));
    return new OnnxMatrixKernels(distance, dense, topK, argMax);
  }

  async minCosineDistance(points: Float32Array, rows: number, width: number, queries: Float32Array, queryRows: number, current: Float32Array): Promise<Float32Array> {
    const result = await this.distance.run({
      points: new ort.Tensor('float32', points.subarray(0, rows * width), [rows, width]),
      queries: new ort.Tensor('float32', queries.subarray(0, queryRows * width), [queryRows, width]),
      current: new ort.Tensor('float32', current.subarray(0, rows), [rows]),
    });
    // Copy out: the session may reuse its output buffer on the next run.
    return Float32Array.from(result.distance.data as Float32Array);
  }

  async gemm(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, out?: Float32Array): Promise<Float32Array> {
    const feeds = this.productFeeds(a, rows, inner, b, cols, bias);
    if (out) {
      // onnxruntime writes the product straight into the caller's buffer.
      const product = out.subarray(0, rows * cols);
      await this.dense.run(feeds, { product: new ort.Tensor('float32', product, [rows, cols]) });
      return product;
    }
    const result = await this.dense.run(feeds);
    return Float32Array.from(result.product.data as Float32Array);
  }

  async gemmTopK(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, count: number): Promise<Float32Array> {
    const result = await this.topK.run({ ...this.productFeeds(a, rows, inner, b, cols, bias), count: new ort.Tensor('int64', BigInt64Array.of(BigInt(count)), [1]) });
    return Float32Array.from(result.top.data as Float32Array);
  }

  async gemmArgMax(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array, out: Int32Array): Promise<Int32Array> {
    const result = await this.argMax.run(this.productFeeds(a, rows, inner, b, cols, bias));
    const index = result.index.data as BigInt64Array;
    for (let i = 0; i < rows; i++) out[i] = Number(index[i]);
    return out;
  }

  private productFeeds(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array): Record<string, ort.Tensor> {
    return {
      a: new ort.Tensor('float32', a.subarray(0, rows * inner), [rows, inner]),
      b: new ort.Tensor('float32', b.subarray(0, inner * cols), [inner, cols]),
      bias: new ort.Tensor('float32', bias.subarray(0, cols), [cols]),
    };
  }

  async dispose(): Promise<void> {
    for (const session of [this.distance, this.dense, this.topK, this.argMax]) await session.release();
  }
}

/** The ONNX kernels when they are built in `dir`, otherwise the JS fallback. */
export async function openMatrixKernels(dir: string | undefined): Promise<MatrixKernels> {
  if (OnnxMatrixKernels.available(dir)) return OnnxMatrixKernels.open(dir);
  return new JsMatrixKernels();
}
