// Selection kernels run by onnxruntime from the graphs tools/build-kernels.ts writes: blocked,
// multi-threaded matrix products (MLAS on CPU) instead of scalar JS loops over the pool.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { JsMatrixKernels } from './jsKernels';
import type { MatrixKernels } from '../../math/matrixKernels';

export const MIN_COSINE_DISTANCE_FILE = 'min_cosine_distance.onnx';
export const GEMM_FILE = 'gemm.onnx';

export class OnnxMatrixKernels implements MatrixKernels {
  readonly name = 'onnxruntime-cpu';

  private constructor(
    private readonly distance: ort.InferenceSession,
    private readonly dense: ort.InferenceSession,
  ) {}

  /** True when `dir` holds every kernel file. */
  static available(dir: string | undefined): dir is string {
    return dir !== undefined && existsSync(join(dir, MIN_COSINE_DISTANCE_FILE)) && existsSync(join(dir, GEMM_FILE));
  }

  static async open(dir: string): Promise<OnnxMatrixKernels> {
    const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all' };
    const distance = await ort.InferenceSession.create(join(dir, MIN_COSINE_DISTANCE_FILE), options);
    const dense = await ort.InferenceSession.create(join(dir, GEMM_FILE), options);
    return new OnnxMatrixKernels(distance, dense);
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

  async gemm(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number, bias: Float32Array): Promise<Float32Array> {
    const result = await this.dense.run({
      a: new ort.Tensor('float32', a.subarray(0, rows * inner), [rows, inner]),
      b: new ort.Tensor('float32', b.subarray(0, inner * cols), [inner, cols]),
      bias: new ort.Tensor('float32', bias.subarray(0, cols), [cols]),
    });
    return Float32Array.from(result.product.data as Float32Array);
  }

  async dispose(): Promise<void> {
    await this.distance.release();
    await this.dense.release();
  }
}

/** The ONNX kernels when they are built in `dir`, otherwise the JS fallback. */
export async function openMatrixKernels(dir: string | undefined): Promise<MatrixKernels> {
  if (OnnxMatrixKernels.available(dir)) return OnnxMatrixKernels.open(dir);
  return new JsMatrixKernels();
}
