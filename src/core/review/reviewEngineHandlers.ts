// Runs the review panel's engine RPC methods (see reviewEngineMethods.ts) on a ReviewService.
// Parameters come from our own extension host, but are checked before use all the same.

import type { ReviewEngineMethod } from './reviewEngineMethods';
import type { ScanHandoff } from '../dataset/scanHandoff';
import { ReviewService } from './reviewService';
import type { ReviewDetailsParams, ReviewExportItemsParams, ReviewGroupParams, ReviewMarkParams, ReviewOpenParams, ReviewPageParams, ReviewProjectionParams } from './types';

export class ReviewEngineHandlers {
  private readonly service: ReviewService;

  constructor(scans?: ScanHandoff) {
    this.service = new ReviewService(scans);
  }

  handle(method: ReviewEngineMethod, params: unknown, signal: AbortSignal): Promise<unknown> {
    const p = (params ?? {}) as Record<string, unknown>;
    requireString(p.root, 'root');
    switch (method) {
      case 'reviewOpen': {
        const request = params as ReviewOpenParams;
        requireString(request.cacheDir, 'cacheDir');
        requireString(request.unlabeledFolderName, 'unlabeledFolderName');
        requireString(request.model?.setting, 'model.setting');
        if (request.scratchDir !== undefined) requireString(request.scratchDir, 'scratchDir');
        if (request.scanId !== undefined) requireString(request.scanId, 'scanId');
        return this.service.open(request, signal);
      }
      case 'reviewPage':
        requireString(p.view, 'view');
        requireNumber(p.offset, 'offset');
        requireNumber(p.count, 'count');
        return this.service.page(params as ReviewPageParams, signal);
      case 'reviewDetails':
        requireString(p.relPath, 'relPath');
        requireNumber(p.neighbours, 'neighbours');
        if (p.view !== undefined) requireString(p.view, 'view');
        return this.service.details(params as ReviewDetailsParams);
      case 'reviewProjection':
        return this.service.projection(params as ReviewProjectionParams, signal);
      case 'reviewMark':
        if (!Array.isArray(p.relPaths) || !p.relPaths.every((path) => typeof path === 'string')) throw new Error('Engine request needs "relPaths" as a list of strings.');
        if (typeof p.skipped !== 'boolean') throw new Error('Engine request needs "skipped" as a boolean.');
        return this.service.mark(params as ReviewMarkParams);
      case 'reviewGroup':
        requireString(p.view, 'view');
        requireString(p.groupId, 'groupId');
        return Promise.resolve().then(() => this.service.group(params as ReviewGroupParams));
      case 'reviewExportItems':
        requireString(p.view, 'view');
        if (p.relPaths !== undefined && (!Array.isArray(p.relPaths) || !p.relPaths.every((path) => typeof path === 'string'))) throw new Error('Engine request needs "relPaths" as a list of strings.');
        return Promise.resolve().then(() => this.service.exportItems(params as ReviewExportItemsParams));
    }
  }
}

function requireString(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`Engine request needs a non-empty string "${name}".`);
}

function requireNumber(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`Engine request needs a number "${name}".`);
}
