// Keeps the last opened encoder: creating an onnxruntime session costs far more than one batch,
// so consecutive requests with the same model and provider reuse it.

import { resolveModel } from '../model/registry';
import type { SessionThreads } from './executionProvider';
import { OnnxEncoder } from './onnxEncoder';
import type { ExecutionProviderSetting, ModelSource } from './types';

export interface EncoderRequestOptions {
  signal?: AbortSignal;
  /** Download progress in bytes, when the model has to be fetched. */
  onProgress?: (received: number, total: number) => void;
}

export class EncoderCache {
  private current: { key: string; encoder: OnnxEncoder } | undefined;

  /** `threads` overrides the sessions' CPU threading (benchmarks compare settings with it). */
  constructor(private readonly threads?: SessionThreads) {}

  async get(model: ModelSource, provider: ExecutionProviderSetting, options: EncoderRequestOptions = {}): Promise<OnnxEncoder> {
    const resolved = await resolveModel(model.setting, {
      bundledDir: model.bundledDir,
      storageDir: model.storageDir,
      mirror: model.mirror,
      signal: options.signal,
      onProgress: (received, total) => options.onProgress?.(received, total ?? 0),
    });
    const key = `${resolved.descriptor.id}|${resolved.onnxPath}|${provider}`;
    if (this.current?.key === key) return this.current.encoder;
    await this.dispose();
    const encoder = await OnnxEncoder.open(resolved.descriptor, resolved.onnxPath, provider, this.threads);
    this.current = { key, encoder };
    return encoder;
  }

  async dispose(): Promise<void> {
    const previous = this.current;
    this.current = undefined;
    await previous?.encoder.dispose();
  }
}
