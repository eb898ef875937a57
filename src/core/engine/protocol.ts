// The typed RPC between an engine client (extension host or CLI) and the engine process.
// Native, blocking work (onnxruntime, sharp, hashing) runs in the engine; the client only
// sends requests and receives progress events and one result or error per request.

import type { EmbedDatasetParams, EmbedDatasetResult, EmbedProgress } from '../embed/types';
import type { ExportRootEmbeddingsParams, ExportRootEmbeddingsResult } from '../jobs/exportRootEmbeddings';
import type { ScanRequest, ScanSummary } from '../jobs/scanWorkspace';
import { REVIEW_ENGINE_METHODS } from '../review/reviewEngineMethods';
import { method, type MethodHandler, type MethodTypes } from '../util/methodSpec';
import type { SelectProgress, SelectSamplesParams, SelectSamplesResult } from '../jobs/selectSamples';
import type { SuggestLabelsParams, SuggestLabelsResult } from '../jobs/suggestLabels';
import type { FindLabelIssuesParams, FindLabelIssuesResult } from '../jobs/findLabelIssues';
import type { ClusterImagesParams, ClusterImagesResult } from '../jobs/clusterImages';
import type { FindDuplicatesParams, FindDuplicatesResult } from '../jobs/findDuplicates';
import type { ImportPlan, PlanAnnotationImportParams, PlanAnnotationImportProgress } from '../interop/importAnnotations';
import type { FindImageProblemsParams, FindImageProblemsResult } from '../jobs/findImageProblems';
import type { ModelSource } from '../embed/types';

/**
 * Every engine method, each name once: the type map (EngineMethods), the check of incoming requests
 * (parseEngineRequest) and the engine's handler table (EngineHandlerTable) derive from this list.
 */
export const ENGINE_METHODS = {
  ping: method<Record<string, never>, { pid: number; node: string }>(),
  scan: method<ScanRequest, ScanSummary[], { filesSeen: number }>(),
  embedDataset: method<EmbedDatasetParams, EmbedDatasetResult, EmbedProgress>(),
  exportEmbeddings: method<ExportRootEmbeddingsParams, ExportRootEmbeddingsResult>(),
  selectSamples: method<SelectSamplesParams, SelectSamplesResult, SelectProgress>(),
  suggestLabels: method<SuggestLabelsParams, SuggestLabelsResult>(),
  findLabelIssues: method<FindLabelIssuesParams, FindLabelIssuesResult>(),
  clusterImages: method<ClusterImagesParams, ClusterImagesResult>(),
  findDuplicates: method<FindDuplicatesParams, FindDuplicatesResult>(),
  /** Import Labels' dry run: reads a Label Studio or CVAT export and matches it to a root's images; writes nothing. */
  planAnnotationImport: method<PlanAnnotationImportParams, ImportPlan, PlanAnnotationImportProgress>(),
  findImageProblems: method<FindImageProblemsParams, FindImageProblemsResult>(),
  /** Makes a model present (a catalogue or URL model is downloaded, verified and stored once) without loading it. */
  pullModel: method<{ model: ModelSource }, PullModelResult, { received: number; total: number }>(),
  ...REVIEW_ENGINE_METHODS,
} as const;

export type EngineMethods = MethodTypes<typeof ENGINE_METHODS>;

export interface PullModelResult {
  modelId: string;
  name: string;
  onnxPath: string;
  /** False when the model was already on disk. */
  downloaded: boolean;
}

export type EngineMethod = keyof typeof ENGINE_METHODS;

export function isEngineMethod(name: string): name is EngineMethod {
  return Object.hasOwn(ENGINE_METHODS, name);
}

/**
 * The engine's work for one method. Parameters arrive unchecked (the handler checks them); the
 * result and progress have the method's types.
 */
export type EngineHandler<M extends EngineMethod> = MethodHandler<EngineMethods[M]>;

/** A handler for every engine method: one missing from the table fails the type check. */
export type EngineHandlerTable = { readonly [M in EngineMethod]: EngineHandler<M> };

/** Client -> engine. */
export type EngineRequest =
  | { kind: 'call'; id: number; method: EngineMethod; params: unknown }
  | { kind: 'cancel'; id: number };

/** Engine -> client. */
export type EngineReply =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: EngineErrorPayload }
  | { kind: 'progress'; id: number; progress: unknown }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export interface EngineErrorPayload {
  message: string;
  /**
   * 'cancelled' when the request was cancelled; 'unusable-input' when what the user gave cannot be
   * used (UnusableInputError: the message is for them, and there is no stack); otherwise a short
   * machine-readable code.
   */
  code: 'cancelled' | 'failed' | 'bad-request' | 'unusable-input';
  stack?: string;
}

/** The engine treats its channel as input too: anything malformed is answered with an error, not trusted. */
export function parseEngineRequest(message: unknown): EngineRequest | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (typeof m.id !== 'number' || !Number.isInteger(m.id)) return undefined;
  if (m.kind === 'cancel') return { kind: 'cancel', id: m.id };
  if (m.kind === 'call' && typeof m.method === 'string' && isEngineMethod(m.method)) {
    return { kind: 'call', id: m.id, method: m.method, params: m.params };
  }
  return undefined;
}
