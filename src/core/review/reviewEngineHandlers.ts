// Runs the review panel's engine RPC methods (see reviewEngineMethods.ts) on a ReviewService.
// Parameters come from our own extension host, but are checked before use all the same.

import { requireNumber, requireString } from '../util/requestChecks';
import type { MethodHandler } from '../util/methodSpec';
import type { ReviewEngineMethod, ReviewEngineMethods } from './reviewEngineMethods';
import type { ScanHandoff } from '../dataset/scanHandoff';
import { ReviewService } from './reviewService';
import type { ReviewDetailsParams, ReviewExportItemsParams, ReviewGroupParams, ReviewMarkParams, ReviewOpenParams, ReviewPageParams, ReviewProjectionParams } from './types';

export class ReviewEngineHandlers {
  /** A handler for every review method (the engine's handler table takes these in). */
  readonly table: { readonly [M in ReviewEngineMethod]: MethodHandler<ReviewEngineMethods[M]> };

  constructor(scans?: ScanHandoff) {
    const service = new ReviewService(scans);
    this.table = {
      reviewOpen: async (params, signal) => {
        const request = withRoot(params) as unknown as ReviewOpenParams;
        requireString(request.cacheDir, 'cacheDir');
        requireString(request.unlabeledFolderName, 'unlabeledFolderName');
        requireString(request.model?.setting, 'model.setting');
        if (request.scratchDir !== undefined) requireString(request.scratchDir, 'scratchDir');
        if (request.scanId !== undefined) requireString(request.scanId, 'scanId');
        return service.open(request, signal);
      },
      reviewPage: async (params, signal) => {
        const p = withRoot(params);
        requireString(p.view, 'view');
        requireNumber(p.offset, 'offset');
        requireNumber(p.count, 'count');
        return service.page(params as ReviewPageParams, signal);
      },
      reviewDetails: async (params) => {
        const p = withRoot(params);
        requireString(p.relPath, 'relPath');
        requireNumber(p.neighbours, 'neighbours');
        if (p.view !== undefined) requireString(p.view, 'view');
        return service.details(params as ReviewDetailsParams);
      },
      reviewProjection: async (params, signal) => {
        withRoot(params);
        return service.projection(params as ReviewProjectionParams, signal);
      },
      reviewMark: async (params) => {
        const p = withRoot(params);
        if (!Array.isArray(p.relPaths) || !p.relPaths.every((path) => typeof path === 'string')) throw new Error('Engine request needs "relPaths" as a list of strings.');
        if (typeof p.skipped !== 'boolean') throw new Error('Engine request needs "skipped" as a boolean.');
        return service.mark(params as ReviewMarkParams);
      },
      reviewGroup: async (params) => {
        const p = withRoot(params);
        requireString(p.view, 'view');
        requireString(p.groupId, 'groupId');
        return service.group(params as ReviewGroupParams);
      },
      reviewExportItems: async (params) => {
        const p = withRoot(params);
        requireString(p.view, 'view');
        if (p.relPaths !== undefined && (!Array.isArray(p.relPaths) || !p.relPaths.every((path) => typeof path === 'string'))) throw new Error('Engine request needs "relPaths" as a list of strings.');
        return service.exportItems(params as ReviewExportItemsParams);
      },
    };
  }
}

/** Every review request names its dataset root. */
function withRoot(params: unknown): Record<string, unknown> {
  const p = (params ?? {}) as Record<string, unknown>;
  requireString(p.root, 'root');
  return p;
}

