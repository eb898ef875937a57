// The typed RPC between an engine client (extension host or CLI) and the engine process.
// Native, blocking work (onnxruntime, sharp, hashing) runs in the engine; the client only
// sends requests and receives progress events and one result or error per request.

import type { EmbedDatasetParams, EmbedDatasetResult, EmbedProgress } from '../embed/types';
import type { ExportDatasetParams, ExportDatasetResult } from '../jobs/exportDataset';
import type { ScanRequest, ScanSummary } from '../jobs/scanWorkspace';
import { isReviewEngineMethod, type ReviewEngineMethods } from '../review/reviewEngineMethods';
import type { SelectProgress, SelectSamplesParams, SelectSamplesResult } from '../jobs/selectSamples';
import type { SuggestLabelsParams, SuggestLabelsResult } from '../jobs/suggestLabels';
import type { FindLabelIssuesParams, FindLabelIssuesResult } from '../jobs/findLabelIssues';
import type { ClusterImagesParams, ClusterImagesResult } from '../jobs/clusterImages';
import type { FindDuplicatesParams, FindDuplicatesResult } from '../jobs/findDuplicates';
import type { ModelSource } from '../embed/types';

export interface EngineMethods extends ReviewEngineMethods {
  ping: { params: Record<string, never>; result: { pid: number; node: string }; progress: never };
  scan: { params: ScanRequest; result: ScanSummary[]; progress: { filesSeen: number } };
  embedDataset: { params: EmbedDatasetParams; result: EmbedDatasetResult; progress: EmbedProgress };
  exportEmbeddings: { params: ExportDatasetParams; result: ExportDatasetResult; progress: never };
  selectSamples: { params: SelectSamplesParams; result: SelectSamplesResult; progress: SelectProgress };
  suggestLabels: { params: SuggestLabelsParams; result: SuggestLabelsResult; progress: never };
  findLabelIssues: { params: FindLabelIssuesParams; result: FindLabelIssuesResult; progress: never };
  clusterImages: { params: ClusterImagesParams; result: ClusterImagesResult; progress: never };
  findDuplicates: { params: FindDuplicatesParams; result: FindDuplicatesResult; progress: never };
  /** Makes a model present (a catalogue or URL model is downloaded, verified and stored once) without loading it. */
  pullModel: { params: { model: ModelSource }; result: PullModelResult; progress: { received: number; total: number } };
}

export interface PullModelResult {
  modelId: string;
  name: string;
  onnxPath: string;
  /** False when the model was already on disk. */
  downloaded: boolean;
}

export type EngineMethod = keyof EngineMethods;

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
  /** 'cancelled' when the request was cancelled; otherwise a short machine-readable code. */
  code: 'cancelled' | 'failed' | 'bad-request';
  stack?: string;
}

const methods: ReadonlySet<string> = new Set<EngineMethod>(['ping', 'scan', 'embedDataset', 'exportEmbeddings', 'selectSamples', 'suggestLabels', 'findLabelIssues', 'clusterImages', 'findDuplicates', 'pullModel']);

/** The engine treats its channel as input too: anything malformed is answered with an error, not trusted. */
export function parseEngineRequest(message: unknown): EngineRequest | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (typeof m.id !== 'number' || !Number.isInteger(m.id)) return undefined;
  if (m.kind === 'cancel') return { kind: 'cancel', id: m.id };
  if (m.kind === 'call' && typeof m.method === 'string' && (methods.has(m.method) || isReviewEngineMethod(m.method))) {
    return { kind: 'call', id: m.id, method: m.method as EngineMethod, params: m.params };
  }
  return undefined;
}
