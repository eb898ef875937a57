// onnxruntime does not fall back from a GPU provider on its own: asking for ['cuda', 'cpu'] on a
// machine without the CUDA libraries throws. So we try CUDA, catch, retry on CPU and keep the reason.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName, ExecutionProviderSetting } from './types';

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: ExecutionProviderName;
  note: string;
}

/**
 * CPU threading of a session. onnxruntime's defaults (one thread per core, spinning while waiting
 * for work) suit a process that only runs the model; the embedding pipeline also decodes images on
 * the same cores, and a spinning thread takes CPU time the decoders need.
 */
export interface SessionThreads {
  /** Threads for one operator; 0 lets onnxruntime choose (one per physical core). */
  intraOp: number;
  /** Whether idle threads spin before sleeping. */
  spinning: boolean;
}

/** Chosen by measurement: `npm run bench:embed -- --sweep` (bench/results/embed.md). */
export const PIPELINE_SESSION_THREADS: SessionThreads = { intraOp: 0, spinning: false };

export async function openSession(
  onnxPath: string,
  setting: ExecutionProviderSetting,
  threads: SessionThreads = PIPELINE_SESSION_THREADS,
): Promise<OpenedSession> {
  const options = (provider: ExecutionProviderName): ort.InferenceSession.SessionOptions => ({
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    ...(threads.intraOp > 0 ? { intraOpNumThreads: threads.intraOp } : {}),
    extra: { session: { intra_op: { allow_spinning: threads.spinning ? '1' : '0' } } },
  });
  if (setting === 'cpu') {
    return { session: await ort.InferenceSession.create(onnxPath, options('cpu')), provider: 'cpu', note: 'CPU (set by curator.executionProvider)' };
  }
  const cudaFailed = (reason: string): Error =>
    new Error(
      `The CUDA execution provider could not start: ${reason}. It needs CUDA 12 and cuDNN 9 plus onnxruntime's GPU provider libraries (see the README), or set curator.executionProvider to "auto" or "cpu".`,
    );
  // Without the provider library, skip the attempt: it would only fail, after printing a native
  // error to stderr.
  const missing = missingCudaProviderLibrary();
  if (missing && setting === 'cuda') throw cudaFailed(missing);
  if (missing) {
    const session = await ort.InferenceSession.create(onnxPath, options('cpu'));
    return { session, provider: 'cpu', note: `CPU (CUDA unavailable: ${missing})` };
  }
  try {
    const session = await ort.InferenceSession.create(onnxPath, options('cuda'));
    return { session, provider: 'cuda', note: 'CUDA GPU' };
  } catch (error) {
    const reason = firstLine(error);
    if (setting === 'cuda') throw cudaFailed(reason);
    const session = await ort.InferenceSession.create(onnxPath, options('cpu'));
    return { session, provider: 'cpu', note: `CPU (CUDA unavailable: ${reason})` };
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 300);
}

/** Why the CUDA provider cannot load, when its library is not beside onnxruntime's binding; undefined when it is. */
export function missingCudaProviderLibrary(): string | undefined {
  if (process.platform !== 'linux' && process.platform !== 'win32') return `no CUDA build of onnxruntime for ${process.platform}`;
  const library = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  const packageRoot = dirname(dirname(require.resolve('onnxruntime-node')));
  const bindingDir = join(packageRoot, 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(join(bindingDir, library)) ? undefined : `${library} is not installed beside onnxruntime-node's binding`;
}
