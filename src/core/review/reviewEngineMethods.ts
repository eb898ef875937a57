// The review panel's engine RPC methods. protocol.ts merges these into ENGINE_METHODS, so this file
// holds only types and names: the extension host imports it and must not load sharp through it.

import { method, type MethodTypes } from '../util/methodSpec';
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

export const REVIEW_ENGINE_METHODS = {
  reviewOpen: method<ReviewOpenParams, ReviewOverview>(),
  reviewPage: method<ReviewPageParams, ReviewPage>(),
  reviewDetails: method<ReviewDetailsParams, ReviewDetails>(),
  reviewProjection: method<ReviewProjectionParams, ReviewProjection>(),
  reviewMark: method<ReviewMarkParams, ReviewOverview>(),
  reviewGroup: method<ReviewGroupParams, ReviewGroupMembers>(),
  reviewExportItems: method<ReviewExportItemsParams, ReviewExportItems>(),
} as const;

export type ReviewEngineMethods = MethodTypes<typeof REVIEW_ENGINE_METHODS>;

export type ReviewEngineMethod = keyof typeof REVIEW_ENGINE_METHODS;
