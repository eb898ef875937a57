// The review panel's engine RPC methods. protocol.ts merges these into EngineMethods, so this file
// holds only types and names: the extension host imports it and must not load sharp through it.

import type {
  ReviewDetails,
  ReviewDetailsParams,
  ReviewExportItems,
  ReviewExportItemsParams,
  ReviewGroupMembers,
  ReviewGroupParams,
  ReviewMarkParams,
  ReviewOpenParams,
  ReviewOverview,
  ReviewPage,
  ReviewPageParams,
  ReviewProjection,
  ReviewProjectionParams,
} from './types';

export interface ReviewEngineMethods {
  reviewOpen: { params: ReviewOpenParams; result: ReviewOverview; progress: never };
  reviewPage: { params: ReviewPageParams; result: ReviewPage; progress: never };
  reviewDetails: { params: ReviewDetailsParams; result: ReviewDetails; progress: never };
  reviewProjection: { params: ReviewProjectionParams; result: ReviewProjection; progress: never };
  reviewMark: { params: ReviewMarkParams; result: ReviewOverview; progress: never };
  reviewGroup: { params: ReviewGroupParams; result: ReviewGroupMembers; progress: never };
  reviewExportItems: { params: ReviewExportItemsParams; result: ReviewExportItems; progress: never };
}

export type ReviewEngineMethod = keyof ReviewEngineMethods;

const REVIEW_ENGINE_METHODS: ReadonlySet<string> = new Set<ReviewEngineMethod>(['reviewOpen', 'reviewPage', 'reviewDetails', 'reviewProjection', 'reviewMark', 'reviewGroup', 'reviewExportItems']);

export function isReviewEngineMethod(method: string): method is ReviewEngineMethod {
  return REVIEW_ENGINE_METHODS.has(method);
}
