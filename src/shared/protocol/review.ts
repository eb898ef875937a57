// The review panel's contract between the extension host and its webview. Both sides import these
// types; the host validates every incoming message with parseReviewMessage (the webview is
// untrusted input) and checks every path against the dataset root before using it.
//
// Data is pulled, not pushed: the webview asks for pages of a view, the details of one image or the
// embedding map with a request id, and the host answers with a reply carrying the same id. The host
// pushes only the overview (counts, classes, views), after the webview's `ready` and after changes.

export interface ReviewItemView {
  relPath: string;
  label: string | null;
  /** COCO and YOLO roots: every class annotated in the image, most instances first. */
  classes?: string[];
  skipped: boolean;
  /** Webview URI of the thumbnail; null when there is none (see problem). */
  thumbUri: string | null;
  problem?: string;
  /** A few words shown as a badge on the card (the image problems' kinds). */
  tag?: string;
  rank?: number;
  score?: number;
  reasons?: Record<string, number | string>;
  duplicates?: string[];
  /** Soft-label suggestions, most likely first: the number keys accept the n-th. */
  suggestions?: { label: string; p: number }[];
  /** Grouped views (clusters, duplicates): the group this image belongs to. */
  group?: { id: string; title: string; size: number };
  /** Unlabelled images most likely of a class without labels yet ("new class?"), with that probability. */
  unknownClass?: boolean;
  pNewClass?: number;
}

export interface ReviewViewTab {
  id: string;
  title: string;
  count: number;
  description: string;
}

export interface ReviewOverviewView {
  root: string;
  /** Root relative to the workspace, for display. */
  displayName: string;
  /** Every dataset root of the workspace, for the root switcher. */
  roots: { root: string; displayName: string }[];
  generation: number;
  counts: { images: number; labelled: number; unlabelled: number; skipped: number; problems: number; embedded: number | null };
  classes: { name: string; count: number }[];
  views: ReviewViewTab[];
  selection: { method: string; file: string; items: number } | null;
  model: { name: string; id: string; providerNote: string } | { name: null; id: string | null; providerNote: null };
  /** Whether labels can be written (a trusted workspace, and a root whose labels are not COCO or YOLO annotations). */
  canWrite: boolean;
  /** Why not, when canWrite is false for a reason other than Restricted Mode. */
  readOnlyReason?: string;
}

export interface ReviewDetailsView {
  item: ReviewItemView;
  previewUri: string | null;
  neighbours: { relPath: string; label: string; similarity: number; thumbUri: string | null }[];
  neighbourNote?: string;
}

export interface ReviewProjectionView {
  generation: number;
  relPaths: string[];
  xs: number[];
  ys: number[];
  kinds: ('labelled' | 'unlabelled' | 'selected')[];
  explained: [number, number];
}

/** What the webview can ask for; each is answered by one reply with the same request id. */
export type ReviewRequest =
  | { kind: 'page'; view: string; offset: number; count: number }
  /** view: the view the image is shown in, whose reasons (rank, cluster, issue evidence) the details give. */
  | { kind: 'details'; relPath: string; view?: string }
  | { kind: 'projection' };

export type ReviewReply =
  | { kind: 'page'; view: string; generation: number; total: number; offset: number; items: ReviewItemView[] }
  | { kind: 'details'; details: ReviewDetailsView }
  | { kind: 'projection'; projection: ReviewProjectionView }
  | { kind: 'error'; message: string };

/** Host -> webview. */
export type ReviewHostMessage =
  | { type: 'overview'; overview: ReviewOverviewView }
  | { type: 'reply'; requestId: number; reply: ReviewReply }
  /** A long operation started, progressed or ended (null); the webview shows it and keeps working. Cancellable ones get a Cancel button. */
  | { type: 'busy'; message: string | null; cancellable?: boolean }
  /** After a label was written: the images that changed, so the grid can move focus sensibly. */
  | { type: 'labelled'; relPaths: string[]; label: string | null }
  /** A one-line outcome to show in the panel's status line. */
  | { type: 'notice'; message: string }
  /**
   * Sent before the first overview of a restored panel whose own saved state was lost or older
   * than the host's copy (an abrupt page reload can lose the workbench's copy).
   */
  | { type: 'restoreState'; state: ReviewPanelState };

/** Webview -> host. */
export type ReviewWebviewMessage =
  | { type: 'ready'; root?: string }
  | { type: 'request'; requestId: number; request: ReviewRequest }
  | { type: 'applyLabel'; relPaths: string[]; label: string }
  | { type: 'pickLabel'; relPaths: string[] }
  | { type: 'markSkipped'; relPaths: string[]; skipped: boolean }
  | { type: 'selectRoot'; root: string }
  | { type: 'openFile'; relPath: string }
  /** Reverts the newest label change in the root's label journal, the panel's or another's (through the label service, so it works for manifests too). */
  | { type: 'undoLabel' }
  /** Labels every member of a group of a grouped view (the host asks which class and confirms the count). */
  | { type: 'labelGroup'; view: string; groupId: string }
  /** Creates a class from a group of "Possibly new classes": the host asks for its name, confirms, and labels every member with it. */
  | { type: 'createClassFromGroup'; view: string; groupId: string }
  /** Exports the view's images (or only relPaths, the selected tiles) like Export Selection. */
  | { type: 'exportView'; view: string; relPaths?: string[] }
  /** Cancels the long operation the panel started (an export). */
  | { type: 'cancelOperation' }
  /** Runs Accept Sure Suggestions on the panel's root (the host asks for the threshold and confirms). */
  | { type: 'acceptSuggestions' }
  /** The state the webview just saved, so the host can keep a copy outside the workbench. */
  | { type: 'stateChanged'; state: ReviewPanelState }
  | { type: 'refresh' };

/** State the webview keeps with setState, so a restored panel comes back where it was. */
export interface ReviewPanelState {
  root?: string;
  view?: string;
  focusIndex?: number;
  showMap?: boolean;
  /** When the webview saved it (ms since 1970), to tell the newer of two copies. */
  savedAt?: number;
}

export const REVIEW_LIMITS = {
  path: 4096,
  /** Images one action may label or mark at once. */
  batch: 10_000,
  label: 100,
  view: 64,
  groupId: 64,
  pageSize: 200,
  offset: 10_000_000,
  requestId: 2 ** 31 - 1,
} as const;

/** Returns the message if it is exactly a protocol message (extra fields dropped), otherwise undefined. */
export function parseReviewMessage(raw: unknown): ReviewWebviewMessage | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      if (raw.root === undefined) return { type: 'ready' };
      return isPath(raw.root) ? { type: 'ready', root: raw.root } : undefined;
    case 'request': {
      const request = parseRequest(raw.request);
      return request && isIntegerIn(raw.requestId, 0, REVIEW_LIMITS.requestId) ? { type: 'request', requestId: raw.requestId, request } : undefined;
    }
    case 'applyLabel': {
      const relPaths = parsePaths(raw.relPaths);
      const label = parseLabel(raw.label);
      return relPaths && label !== undefined ? { type: 'applyLabel', relPaths, label } : undefined;
    }
    case 'pickLabel': {
      const relPaths = parsePaths(raw.relPaths);
      return relPaths ? { type: 'pickLabel', relPaths } : undefined;
    }
    case 'markSkipped': {
      const relPaths = parsePaths(raw.relPaths);
      return relPaths && typeof raw.skipped === 'boolean' ? { type: 'markSkipped', relPaths, skipped: raw.skipped } : undefined;
    }
    case 'selectRoot':
      return isPath(raw.root) ? { type: 'selectRoot', root: raw.root } : undefined;
    case 'openFile':
      return isPath(raw.relPath) ? { type: 'openFile', relPath: raw.relPath } : undefined;
    case 'undoLabel':
      return { type: 'undoLabel' };
    case 'labelGroup':
      return isViewId(raw.view) && isGroupId(raw.groupId) ? { type: 'labelGroup', view: raw.view, groupId: raw.groupId } : undefined;
    case 'createClassFromGroup':
      return isViewId(raw.view) && isGroupId(raw.groupId) ? { type: 'createClassFromGroup', view: raw.view, groupId: raw.groupId } : undefined;
    case 'exportView': {
      if (!isViewId(raw.view)) return undefined;
      if (raw.relPaths === undefined) return { type: 'exportView', view: raw.view };
      const relPaths = parsePaths(raw.relPaths);
      return relPaths ? { type: 'exportView', view: raw.view, relPaths } : undefined;
    }
    case 'cancelOperation':
      return { type: 'cancelOperation' };
    case 'acceptSuggestions':
      return { type: 'acceptSuggestions' };
    case 'stateChanged':
      return isRecord(raw.state) ? { type: 'stateChanged', state: parseReviewPanelState(raw.state) } : undefined;
    case 'refresh':
      return { type: 'refresh' };
    default:
      return undefined;
  }
}

function parseRequest(raw: unknown): ReviewRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.kind) {
    case 'page':
      return isViewId(raw.view) && isIntegerIn(raw.offset, 0, REVIEW_LIMITS.offset) && isIntegerIn(raw.count, 1, REVIEW_LIMITS.pageSize)
        ? { kind: 'page', view: raw.view, offset: raw.offset, count: raw.count }
        : undefined;
    case 'details':
      if (!isPath(raw.relPath)) return undefined;
      if (raw.view === undefined) return { kind: 'details', relPath: raw.relPath };
      return isViewId(raw.view) ? { kind: 'details', relPath: raw.relPath, view: raw.view } : undefined;
    case 'projection':
      return { kind: 'projection' };
    default:
      return undefined;
  }
}

/**
 * A class name becomes a folder name (or a manifest value): one path segment, printable, trimmed.
 * Returns the cleaned label, or undefined when it cannot be one.
 */
export function parseLabel(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const label = raw.trim();
  if (label.length === 0 || label.length > REVIEW_LIMITS.label) return undefined;
  if (label === '.' || label === '..' || /[\\/:*?"<>|]/.test(label) || /\p{Cc}/u.test(label)) return undefined;
  return label;
}

function parsePaths(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > REVIEW_LIMITS.batch) return undefined;
  return raw.every(isPath) ? [...new Set(raw as string[])] : undefined;
}

function isPath(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= REVIEW_LIMITS.path && !value.includes('\u0000');
}

function isViewId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z][a-z0-9-]*$/.test(value) && value.length <= REVIEW_LIMITS.view;
}

/** Group ids are short tokens made by the engine (cluster numbers, group positions). */
function isGroupId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]+$/.test(value) && value.length <= REVIEW_LIMITS.groupId;
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The state a restored panel was saved with; anything malformed is dropped field by field. */
export function parseReviewPanelState(raw: unknown): ReviewPanelState {
  if (!isRecord(raw)) return {};
  return {
    ...(isPath(raw.root) ? { root: raw.root } : {}),
    ...(isViewId(raw.view) ? { view: raw.view } : {}),
    ...(isIntegerIn(raw.focusIndex, 0, REVIEW_LIMITS.offset) ? { focusIndex: raw.focusIndex } : {}),
    ...(typeof raw.showMap === 'boolean' ? { showMap: raw.showMap } : {}),
    ...(isIntegerIn(raw.savedAt, 0, Number.MAX_SAFE_INTEGER) ? { savedAt: raw.savedAt } : {}),
  };
}
