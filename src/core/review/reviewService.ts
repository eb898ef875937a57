// The engine side of the review panel: one session per dataset root, holding the index the views
// are computed from. The panel pulls what it shows: pages of a view (thumbnails made on demand for
// that page only), the details of one image, the embedding map.

import { join } from 'node:path';
import { scanDataset } from '../dataset/scan';
import type { ScanHandoff } from '../dataset/scanHandoff';
import type { AnnotationKind } from '../dataset/types';
import { hashImages } from '../pool/contentHashes';
import { resolveModel } from '../model/registry';
import { throwIfAborted } from '../util/concurrency';
import { messageOf } from '../util/errors';
import { EMBEDDING_KIND, withEmbeddingStore } from './embeddingAccess';
import { buildLabelledMatrix, nearestRows, type LabelledMatrix } from './neighbours';
import { pageRange } from './paging';
import { loadOrComputeProjection } from './projectionCache';
import { ReviewIndex, type IndexedImage } from './reviewIndex';
import { ReviewMarks } from './reviewMarks';
import { loadLatestResults } from './resultFiles';
import { loadLatestSelection } from './selectionFile';
import { PREVIEW_SIZE, THUMBS_FOLDER, ThumbnailMaker } from './thumbnails';
import type {
  PointKind,
  ReviewDetails,
  ReviewDetailsParams,
  ReviewExportItems,
  ReviewExportItemsParams,
  ReviewGroupMembers,
  ReviewGroupParams,
  ReviewItem,
  ReviewMarkParams,
  ReviewOpenParams,
  ReviewOverview,
  ReviewPage,
  ReviewPageParams,
  ReviewProjection,
  ReviewProjectionParams,
} from './types';
import type { ViewEntry } from './reviewView';
import { REVIEW_VIEW_SOURCES } from './viewSources';

/** Thumbnails decoded at once for one page: sharp has its own threads, more only queues. */
const THUMB_CONCURRENCY = 4;
const MAX_NEIGHBOURS = 24;
const CACHE_LEFT_CLOSED = 'the embedding cache is left closed while the workspace is not trusted';

interface ReviewSession {
  params: ReviewOpenParams;
  generation: number;
  modelId: string | null;
  index: ReviewIndex;
  views: Map<string, ViewEntry[]>;
  thumbs: ThumbnailMaker;
  thumbsDir: string;
  /** Contents with a cached embedding; null when unknown (the cache is busy, or left closed without trust). */
  embedded: Set<string> | null;
  labelledMatrix?: Promise<LabelledMatrix | undefined>;
  /** The root's labels are COCO or YOLO annotations (see ReviewOverview). */
  annotations?: AnnotationKind;
}

export class ReviewService {
  private readonly sessions = new Map<string, ReviewSession>();
  private generation = 0;

  /** `scans`: where the scan named by ReviewOpenParams.scanId is kept (the engine's). */
  constructor(private readonly scans?: ScanHandoff) {}

  /** Scans the root (hashing only what changed) and (re)builds its views. Called again after every change. */
  async open(params: ReviewOpenParams, signal?: AbortSignal): Promise<ReviewOverview> {
    const scan =
      this.scans?.take(params.scanId, params.root, params.unlabeledFolderName) ??
      (await scanDataset(params.root, { unlabeledFolderName: params.unlabeledFolderName, signal }));
    // Without trust the root's cache is only read; what browsing makes goes into the scratch folder.
    const readOnly = params.scratchDir !== undefined;
    const writableDir = params.scratchDir ?? params.cacheDir;
    const hashes = await hashImages(scan.images, writableDir, { signal });
    throwIfAborted(signal);
    const marks = await ReviewMarks.load(params.cacheDir);
    const selection = await loadLatestSelection(params.cacheDir);
    const results = await loadLatestResults(params.cacheDir);
    const images: IndexedImage[] = scan.images.map((image) => ({
      relPath: image.relPath,
      absPath: image.absPath,
      label: image.label,
      ...(image.classes ? { classes: image.classes } : {}),
      hash: hashes.byPath.get(image.relPath) ?? null,
    }));
    const selectionHashes = selection ? rememberSelectionHashes(marks, selection.file, selection.items.map((item) => item.path), images) : new Map<string, string>();
    if (selection && !readOnly) await marks.save().catch(() => undefined); // a read-only folder still reviews
    const index = new ReviewIndex(images, scan.problems, selection, selectionHashes, marks, results);
    const previous = this.sessions.get(params.root);
    const modelId = previous?.params.model.setting === params.model.setting ? previous.modelId : await modelIdFor(params);
    const thumbsDir = join(writableDir, THUMBS_FOLDER);
    const session: ReviewSession = {
      params,
      generation: ++this.generation,
      modelId,
      index,
      views: new Map(REVIEW_VIEW_SOURCES.map((source) => [source.id, source.entries(index)])),
      thumbs: previous?.thumbsDir === thumbsDir ? previous.thumbs : new ThumbnailMaker(thumbsDir),
      thumbsDir,
      embedded: readOnly ? null : await embeddedHashes(params.cacheDir, modelId, images),
      ...(scan.manifest?.kind === 'coco' || scan.manifest?.kind === 'yolo' ? { annotations: scan.manifest.kind } : {}),
    };
    this.sessions.set(params.root, session);
    return overviewOf(session);
  }

  async page(params: ReviewPageParams, signal?: AbortSignal): Promise<ReviewPage> {
    const session = this.session(params.root);
    const entries = session.views.get(params.view);
    if (!entries) throw new Error(`There is no review view "${params.view}".`);
    const { start, end } = pageRange(entries.length, params.offset, params.count);
    const slice = entries.slice(start, end);
    const items = new Array<ReviewItem>(slice.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < slice.length) {
        throwIfAborted(signal);
        const position = next++;
        items[position] = await itemFor(session, slice[position]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(THUMB_CONCURRENCY, slice.length) }, worker));
    return { view: params.view, generation: session.generation, total: entries.length, offset: start, items };
  }

  async details(params: ReviewDetailsParams): Promise<ReviewDetails> {
    const session = this.session(params.root);
    const entry = findEntry(session, params.relPath, params.view) ?? { relPath: params.relPath };
    const item = await itemFor(session, entry);
    const image = session.index.byPath.get(params.relPath);
    let previewPath: string | null = null;
    if (image?.hash) previewPath = await session.thumbs.ensure(image.absPath, image.hash, PREVIEW_SIZE).catch(() => null);
    const k = Math.min(MAX_NEIGHBOURS, Math.max(0, Math.floor(params.neighbours)));
    const { neighbours, note } = await this.neighboursOf(session, image, k);
    return { item, previewPath, neighbours, ...(note ? { neighbourNote: note } : {}) };
  }

  async projection(params: ReviewProjectionParams, signal?: AbortSignal): Promise<ReviewProjection> {
    const session = this.session(params.root);
    const { modelId, embedded, index } = session;
    if (session.params.scratchDir !== undefined) throw new Error(`The embedding map cannot be shown: ${CACHE_LEFT_CLOSED}.`);
    if (!modelId || !embedded || embedded.size === 0) throw new Error('No embeddings are cached for this dataset yet: run Curator: Compute Embeddings first.');
    const outcome = await withEmbeddingStore(session.params.cacheDir, modelId, (store) => loadOrComputeProjection(session.params.cacheDir, store, [...embedded], signal));
    if (!outcome) throw new Error('The embedding cache disappeared; run Curator: Compute Embeddings again.');
    const position = new Map(outcome.projection.hashes.map((hash, i) => [hash, i]));
    const selected = new Set(session.views.get('selection')?.map((entry) => entry.relPath));
    const result: ReviewProjection = { generation: session.generation, relPaths: [], xs: [], ys: [], kinds: [], explained: outcome.projection.explained, fromCache: outcome.fromCache };
    for (const image of index.images) {
      const at = image.hash ? position.get(image.hash) : undefined;
      if (at === undefined) continue;
      const kind: PointKind = image.label !== null ? 'labelled' : selected.has(image.relPath) ? 'selected' : 'unlabelled';
      result.relPaths.push(image.relPath);
      result.xs.push(outcome.projection.xs[at]);
      result.ys.push(outcome.projection.ys[at]);
      result.kinds.push(kind);
    }
    return result;
  }

  /** Every member of one group of a grouped view (a cluster, a duplicate group), for labelling it as a whole. */
  group(params: ReviewGroupParams): ReviewGroupMembers {
    const session = this.session(params.root);
    const entries = session.views.get(params.view);
    if (!entries) throw new Error(`There is no review view "${params.view}".`);
    const members = entries.filter((entry) => entry.group?.id === params.groupId);
    if (members.length === 0) throw new Error(`The view "${params.view}" has no group "${params.groupId}" (any more).`);
    // The class most members' top suggestion names: the natural label for the whole group.
    const votes = new Map<string, number>();
    for (const entry of members) {
      const top = (entry.suggestions ?? session.index.suggestionsFor(session.index.byPath.get(entry.relPath)))?.[0];
      if (top) votes.set(top.label, (votes.get(top.label) ?? 0) + 1);
    }
    const best = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    return { group: members[0].group!, relPaths: members.map((entry) => entry.relPath), suggested: best ? { label: best[0], members: best[1] } : null };
  }

  /** A view's images in display order, ranked, with their reasons: what Export Selection writes. */
  exportItems(params: ReviewExportItemsParams): ReviewExportItems {
    const session = this.session(params.root);
    const entries = session.views.get(params.view);
    if (!entries) throw new Error(`There is no review view "${params.view}".`);
    const wanted = params.relPaths ? new Set(params.relPaths) : undefined;
    const items: ReviewExportItems['items'] = [];
    entries.forEach((entry, position) => {
      if (wanted && !wanted.has(entry.relPath)) return;
      const image = session.index.byPath.get(entry.relPath);
      if (!image) return; // problem files are not images to export
      const suggestions = entry.suggestions ?? session.index.suggestionsFor(image);
      items.push({
        ...entry.reasons,
        relPath: entry.relPath,
        rank: entry.rank ?? position + 1,
        ...(entry.score !== undefined ? { score: entry.score } : {}),
        label: image.label,
        ...(image.classes ? { classes: image.classes } : {}),
        ...(entry.group ? { group: entry.group.title } : {}),
        ...(suggestions ? { suggestions: suggestions.map((s) => `${s.label}:${s.p}`).join(' ') } : {}),
      });
    });
    return { view: params.view, items };
  }

  /** Marks or unmarks images as skipped, then rebuilds the views. */
  async mark(params: ReviewMarkParams): Promise<ReviewOverview> {
    const session = this.session(params.root);
    if (session.params.scratchDir !== undefined) throw new Error('Skip marks are not changed while the workspace is not trusted.');
    const hashes = params.relPaths.map((relPath) => session.index.byPath.get(relPath)?.hash).filter((hash): hash is string => !!hash);
    session.index.marks.setSkipped(hashes, params.skipped);
    await session.index.marks.save();
    return this.open(session.params);
  }

  private async neighboursOf(session: ReviewSession, image: IndexedImage | undefined, k: number): Promise<{ neighbours: ReviewDetails['neighbours']; note?: string }> {
    const { modelId, embedded } = session;
    if (k === 0) return { neighbours: [] };
    if (session.params.scratchDir !== undefined) return { neighbours: [], note: `Neighbours are not shown: ${CACHE_LEFT_CLOSED}.` };
    if (!image?.hash || !modelId || !embedded?.has(image.hash)) return { neighbours: [], note: 'No embedding for this image yet: run Curator: Compute Embeddings.' };
    try {
      session.labelledMatrix ??= this.readLabelledMatrix(session);
      const matrix = await session.labelledMatrix;
      if (!matrix || matrix.hashes.length === 0) return { neighbours: [], note: 'No labelled image has an embedding yet.' };
      const query = await withEmbeddingStore(session.params.cacheDir, modelId, (store) => store.get(image.hash!, EMBEDDING_KIND));
      if (!query) return { neighbours: [], note: 'No embedding for this image yet: run Curator: Compute Embeddings.' };
      const nearest = nearestRows(matrix, query.data, k, image.hash);
      const neighbours = await Promise.all(
        nearest.map(async ({ hash, similarity }) => {
          const other = session.index.byHash.get(hash)?.find((candidate) => candidate.label !== null);
          const thumbPath = other ? await session.thumbs.ensure(other.absPath, hash).catch(() => null) : null;
          return { relPath: other?.relPath ?? '', label: other?.label ?? '', similarity: Math.round(similarity * 1000) / 1000, thumbPath };
        }),
      );
      return { neighbours: neighbours.filter((n) => n.relPath !== '') };
    } catch (error) {
      session.labelledMatrix = undefined;
      return { neighbours: [], note: `Neighbours are not available right now: ${messageOf(error)}` };
    }
  }

  private async readLabelledMatrix(session: ReviewSession): Promise<LabelledMatrix | undefined> {
    const hashes = [...new Set(session.index.images.filter((i) => i.label !== null && i.hash && session.embedded?.has(i.hash)).map((i) => i.hash!))];
    if (hashes.length === 0 || !session.modelId) return undefined;
    const raw = await withEmbeddingStore(session.params.cacheDir, session.modelId, (store) => store.readMatrix(hashes, EMBEDDING_KIND));
    return raw ? buildLabelledMatrix(raw, raw.length / hashes.length, hashes) : undefined;
  }

  private session(root: string): ReviewSession {
    const session = this.sessions.get(root);
    if (!session) throw new Error(`The review of ${root} is not open.`);
    return session;
  }
}

async function itemFor(session: ReviewSession, entry: ViewEntry): Promise<ReviewItem> {
  const image = session.index.byPath.get(entry.relPath);
  const item: ReviewItem = {
    relPath: entry.relPath,
    label: image?.label ?? null,
    ...(image?.classes ? { classes: image.classes } : {}),
    hash: image?.hash ?? null,
    skipped: session.index.isSkipped(image),
    thumbPath: null,
    ...(entry.rank !== undefined ? { rank: entry.rank } : {}),
    ...(entry.score !== undefined ? { score: entry.score } : {}),
    ...(entry.reasons ? { reasons: entry.reasons } : {}),
    ...(entry.duplicates ? { duplicates: entry.duplicates } : {}),
    ...(entry.problem ? { problem: entry.problem } : {}),
    ...(entry.tag ? { tag: entry.tag } : {}),
    ...(entry.group ? { group: entry.group } : {}),
  };
  const suggestions = entry.suggestions ?? session.index.suggestionsFor(image);
  if (suggestions) item.suggestions = suggestions;
  const soft = session.index.softLabelFor(image);
  if (soft?.unknownClass) {
    item.unknownClass = true;
    if (soft.pNewClass !== undefined) item.pNewClass = soft.pNewClass;
  }
  if (image?.hash) {
    try {
      item.thumbPath = await session.thumbs.ensure(image.absPath, image.hash);
    } catch (error) {
      item.problem = `Could not be decoded: ${messageOf(error).split('\n')[0]}`;
    }
  }
  return item;
}

/** The image's entry in the given view, else in the first view that lists it. */
function findEntry(session: ReviewSession, relPath: string, view: string | undefined): ViewEntry | undefined {
  const inView = view !== undefined ? session.views.get(view)?.find((entry) => entry.relPath === relPath) : undefined;
  if (inView) return inView;
  for (const entries of session.views.values()) {
    const found = entries.find((entry) => entry.relPath === relPath);
    if (found) return found;
  }
  return undefined;
}

function overviewOf(session: ReviewSession): ReviewOverview {
  const { index } = session;
  const labelled = index.images.filter((image) => image.label !== null);
  const classCounts = new Map<string, number>();
  // An image of a COCO or YOLO root counts once for each class in it, as in the scan.
  for (const image of labelled) for (const name of image.classes?.length ? image.classes : [image.label!]) classCounts.set(name, (classCounts.get(name) ?? 0) + 1);
  return {
    root: session.params.root,
    generation: session.generation,
    modelId: session.modelId,
    counts: {
      images: index.images.length,
      labelled: labelled.length,
      unlabelled: index.images.length - labelled.length,
      skipped: index.images.filter((image) => index.isSkipped(image)).length,
      problems: session.views.get('problems')?.length ?? 0,
      embedded: session.embedded ? index.images.filter((image) => image.hash && session.embedded!.has(image.hash)).length : null,
    },
    classes: [...classCounts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)),
    views: REVIEW_VIEW_SOURCES.map((source) => ({ id: source.id, title: source.title, description: source.description, count: session.views.get(source.id)?.length ?? 0 })),
    selection: index.selection ? { method: index.selection.method, file: index.selection.file, items: session.views.get('selection')?.length ?? 0 } : null,
    thumbsDir: session.thumbsDir,
    ...(session.annotations ? { annotations: session.annotations } : {}),
  };
}

/** Learns path -> hash for the selection's paths while they still exist, and remembers it across moves. */
function rememberSelectionHashes(marks: ReviewMarks, file: string, paths: string[], images: IndexedImage[]): Map<string, string> {
  const known = marks.selectionHashesFor(file);
  const current = new Map(images.map((image) => [image.relPath, image.hash]));
  for (const path of paths) {
    const hash = current.get(path);
    if (hash && !known.has(path)) known.set(path, hash);
  }
  marks.rememberSelectionHashes(file, known);
  return known;
}

async function modelIdFor(params: ReviewOpenParams): Promise<string | null> {
  // Resolving a URL model may download it: opening a panel must not. Such models show up once embedded.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(params.model.setting.trim())) return null;
  try {
    const { descriptor } = await resolveModel(params.model.setting, { bundledDir: params.model.bundledDir, storageDir: params.model.storageDir, mirror: params.model.mirror });
    return descriptor.id;
  } catch {
    return null; // the panel still reviews; neighbours and the map say embeddings are missing
  }
}

/** Which contents have an embedding; null when the cache is busy (an embedding run holds its lock). */
async function embeddedHashes(cacheDir: string, modelId: string | null, images: IndexedImage[]): Promise<Set<string> | null> {
  if (!modelId) return new Set();
  try {
    const found = await withEmbeddingStore(cacheDir, modelId, async (store) => new Set(images.map((i) => i.hash).filter((h): h is string => !!h && store.has(h, EMBEDDING_KIND))));
    return found ?? new Set();
  } catch {
    return null;
  }
}
