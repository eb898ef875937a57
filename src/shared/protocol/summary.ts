// The protocol between the extension host and the dataset summary view (the review panel's is
// review.ts beside it). Both sides import these types; the host validates every incoming message
// with parseSummaryMessage (the webview is untrusted input).

export interface RootSummaryView {
  root: string;
  /** Root relative to the workspace, for display. */
  displayName: string;
  counts: { images: number; labelled: number; unlabelled: number; ignoredFiles: number };
  classes: { name: string; count: number }[];
  manifest: string | null;
  problems: { relPath: string; severity: 'error' | 'warning'; message: string; line?: number }[];
  embedding: {
    modelName: string;
    modelId: string;
    provider: 'cpu' | 'cuda';
    providerNote: string;
    dim: number;
    embedded: number;
    fromCache: number;
    failed: { relPath: string; message: string }[];
    /** The encoder check's sentence (leave-one-out nearest-neighbour agreement of the labelled images), when there are enough labels. */
    encoderCheck: { agreement: number; sentence: string; low: boolean } | null;
  } | null;
  /** When `embedding` is null (nothing computed in this window): what the root's embedding cache holds, in a sentence. */
  cachedEmbeddings: string;
  /**
   * The latest Find Image Problems run on the root (this window's, or the one its result file holds):
   * findings per kind (every kind, 0 when none); `note` says which run, and whether the embeddings changed since.
   */
  imageProblems: { sentence: string; images: number; counts: { kind: string; count: number }[]; note: string | null } | null;
}

export interface SummaryViewModel {
  roots: RootSummaryView[];
  scannedAt: string | null;
}

/** Host -> webview. */
export type SummaryHostMessage = { type: 'summary'; summary: SummaryViewModel };

/** Commands the summary view may ask the host to run. */
export const SUMMARY_COMMANDS = ['curator.scanWorkspace', 'curator.computeEmbeddings', 'curator.chooseEmbeddingModel', 'curator.findImageProblems'] as const;
export type SummaryCommand = (typeof SUMMARY_COMMANDS)[number];

/** Webview -> host. */
export type SummaryWebviewMessage =
  | { type: 'ready' }
  | { type: 'runCommand'; command: SummaryCommand }
  | { type: 'openFile'; root: string; relPath: string };

const MAX_PATH_LENGTH = 4096;

/** Returns the message if it is well-formed, otherwise undefined. Paths are checked again by the host. */
export function parseSummaryMessage(raw: unknown): SummaryWebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'runCommand':
      return (SUMMARY_COMMANDS as readonly unknown[]).includes(message.command)
        ? { type: 'runCommand', command: message.command as SummaryCommand }
        : undefined;
    case 'openFile':
      return isBoundedString(message.root) && isBoundedString(message.relPath)
        ? { type: 'openFile', root: message.root, relPath: message.relPath }
        : undefined;
    default:
      return undefined;
  }
}

function isBoundedString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_PATH_LENGTH && !value.includes('\u0000');
}
