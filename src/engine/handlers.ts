// Maps each engine RPC method to the core job that does the work.
// Parameters arrive over IPC from our own client, but are still checked before use.

import { requireBoolean, requireString, requireStrings } from '../core/util/requestChecks';
import type { EngineHandler, EngineHandlerTable, EngineMethod, EngineMethods } from '../core/engine/protocol';
import { ScanHandoff } from '../core/dataset/scanHandoff';
import { EncoderCache } from '../core/embed/encoderCache';
import { embedDataset } from '../core/jobs/embedDataset';
import { exportRootEmbeddings } from '../core/jobs/exportRootEmbeddings';
import { scanWorkspace } from '../core/jobs/scanWorkspace';
import { ReviewEngineHandlers } from '../core/review/reviewEngineHandlers';
import { selectSamples } from '../core/jobs/selectSamples';
import { SELECTION_METHODS } from '../core/select/types';
import { suggestLabels } from '../core/jobs/suggestLabels';
import { findLabelIssues } from '../core/jobs/findLabelIssues';
import { clusterImages } from '../core/jobs/clusterImages';
import { findDuplicates } from '../core/jobs/findDuplicates';
import { readAndPlanAnnotationImport } from '../core/interop/importAnnotations';
import { findImageProblems } from '../core/jobs/findImageProblems';
import { SUGGESTION_METHODS } from '../core/suggest/types';
import { resolveModel } from '../core/model/registry';

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export class EngineHandlers {
  private readonly encoders = new EncoderCache();
  /** Each scan request's scans, for the job its command runs next on a root. */
  private readonly scans = new ScanHandoff();
  private readonly review = new ReviewEngineHandlers(this.scans);

  /** A handler for every method of ENGINE_METHODS, and nothing else. */
  readonly table: EngineHandlerTable = {
    ping: async () => ({ pid: process.pid, node: process.version }),
    scan: async (params, signal, progress) => {
      const request = params as EngineMethods['scan']['params'];
      requireStrings(request?.folders, 'folders');
      return scanWorkspace(request, signal, (filesSeen) => progress({ filesSeen }), this.scans);
    },
    embedDataset: async (params, signal, progress) => {
      const request = params as EngineMethods['embedDataset']['params'];
      requireString(request?.root, 'root');
      if (request.scanId !== undefined) requireString(request.scanId, 'scanId');
      const result = await embedDataset(request, { encoders: this.encoders, scans: this.scans, signal, onProgress: progress });
      this.log('info', `Embedded ${result.root}: ${result.embedded} new, ${result.fromCache} cached, ${result.failed.length} failed on ${result.providerNote}.`);
      return result;
    },
    exportEmbeddings: async (params, signal) => {
      const request = params as EngineMethods['exportEmbeddings']['params'];
      requireString(request?.root, 'root');
      requireString(request?.outDir, 'outDir');
      return exportRootEmbeddings(request, signal);
    },
    selectSamples: async (params, signal, progress) => {
      const request = params as EngineMethods['selectSamples']['params'];
      requireString(request?.root, 'root');
      if (!(SELECTION_METHODS as readonly string[]).includes(request.method)) throw new Error(`Engine request needs "method" as one of ${SELECTION_METHODS.join(', ')}.`);
      if (!Number.isInteger(request.budget) || request.budget < 1) throw new Error('Engine request needs "budget" as a positive integer.');
      if (!Number.isInteger(request.seed)) throw new Error('Engine request needs "seed" as an integer.');
      const result = await selectSamples(request, signal, progress);
      this.log('info', `Selected ${result.items.length} of ${result.candidates} unlabelled images in ${result.root} with ${result.method} (${result.kernels} kernels, ${result.seconds.toFixed(2)} s).`);
      return result;
    },
    suggestLabels: async (params, signal) => {
      const request = this.suggestionRequest(params);
      return this.logged('suggestLabels', await suggestLabels(request, signal));
    },
    findLabelIssues: async (params, signal) => {
      const request = this.suggestionRequest(params);
      return this.logged('findLabelIssues', await findLabelIssues(request, signal));
    },
    clusterImages: async (params, signal) => {
      const request = params as EngineMethods['clusterImages']['params'];
      requireRootAndCacheDir(request);
      return clusterImages(request, signal);
    },
    findDuplicates: async (params, signal) => {
      const request = params as EngineMethods['findDuplicates']['params'];
      requireRootAndCacheDir(request);
      return findDuplicates(request, signal);
    },
    planAnnotationImport: async (params, signal, progress) => {
      const request = params as EngineMethods['planAnnotationImport']['params'];
      requireString(request?.root, 'root');
      requireString(request?.file, 'file');
      requireString(request?.unlabeledFolderName, 'unlabeledFolderName');
      if (request.allowNewClasses !== undefined) requireBoolean(request.allowNewClasses, 'allowNewClasses');
      const plan = await readAndPlanAnnotationImport(request, signal, progress);
      this.log('info', `Planned the import of ${request.file} into ${request.root}: ${plan.changes.length} labels, ${plan.problems.length} entries not used.`);
      return plan;
    },
    findImageProblems: async (params, signal) => {
      const request = params as EngineMethods['findImageProblems']['params'];
      requireRootAndCacheDir(request);
      if (request.spread !== undefined && !(typeof request.spread === 'number' && request.spread > 0 && request.spread <= 20)) throw new Error('Engine request needs "spread" as a number from 0 to 20.');
      const result = await findImageProblems(request, signal);
      this.log('info', `findImageProblems on ${result.root}: ${result.findings.length} findings in ${result.images} images in ${result.seconds.toFixed(2)} s.`);
      return result;
    },
    pullModel: async (params, signal, progress) => {
      const { model } = (params ?? {}) as EngineMethods['pullModel']['params'];
      requireString(model?.setting, 'model.setting');
      requireString(model?.storageDir, 'model.storageDir');
      let downloaded = false;
      const resolved = await resolveModel(model.setting, {
        bundledDir: model.bundledDir,
        storageDir: model.storageDir,
        mirror: model.mirror,
        signal,
        onProgress: (received, total) => {
          downloaded = true;
          progress({ received, total: total ?? 0 });
        },
      });
      this.log('info', `Model ${resolved.descriptor.id} ${downloaded ? 'downloaded and verified' : 'already on disk'}: ${resolved.onnxPath}`);
      return { modelId: resolved.descriptor.id, name: resolved.descriptor.name, onnxPath: resolved.onnxPath, downloaded };
    },
    ...this.review.table,
  };

  constructor(private readonly log: Log) {}

  handle<M extends EngineMethod>(method: M, params: unknown, signal: AbortSignal, progress: (value: EngineMethods[M]['progress']) => void): Promise<EngineMethods[M]['result']> {
    const handler: EngineHandler<M> = this.table[method];
    return handler(params, signal, progress);
  }

  /** suggestLabels and findLabelIssues take the same parameters. */
  private suggestionRequest(params: unknown): EngineMethods['suggestLabels']['params'] {
    const request = params as EngineMethods['suggestLabels']['params'];
    requireRootAndCacheDir(request);
    if (request.method !== undefined && !(SUGGESTION_METHODS as readonly string[]).includes(request.method)) throw new Error(`Engine request needs "method" as one of ${SUGGESTION_METHODS.join(', ')}.`);
    return request;
  }

  private logged<R extends { root: string; method: string; items: readonly unknown[]; seconds: number }>(method: 'suggestLabels' | 'findLabelIssues', result: R): R {
    this.log('info', `${method} on ${result.root} with ${result.method}: ${result.items.length} items in ${result.seconds.toFixed(2)} s.`);
    return result;
  }
}

/** Jobs on one root's cache name both. */
function requireRootAndCacheDir(request: { root?: unknown; cacheDir?: unknown } | undefined): void {
  requireString(request?.root, 'root');
  requireString(request?.cacheDir, 'cacheDir');
}
