// Reads the latest results of the suggestion jobs from <cacheDir>/suggestions/ for the review panel:
// soft labels (the newest of pll.json, moe.json, knn.json), label issues, clusters and duplicate
// groups and image problems. Like the selection file, each is untrusted input: malformed entries are skipped, a file
// that is missing, unreadable or from a newer layout (formatVersion) counts as absent, never fatal.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FINDING_KINDS, type FindingKind } from '../quality/imageFindings';
import { CLUSTERS_FILE, DUPLICATES_FILE, IMAGE_PROBLEMS_FILE, ISSUES_FILE, readResultFile, SUGGESTIONS_FOLDER } from '../results/suggestionFiles';

export interface LoadedSuggestedLabel {
  label: string;
  p: number;
}

export interface LoadedSoftLabel {
  /** The label the image had when the job ran (null: unlabelled). */
  label: string | null;
  /** Most likely first. */
  suggestions: LoadedSuggestedLabel[];
  /** Marked "new class?": its most likely answer is a class without labels (never accepted in bulk). */
  unknownClass?: boolean;
  /** How unlike the labelled classes (0-1), and the probability of a class without labels, when the run computed them. */
  unknownScore?: number;
  pNewClass?: number;
  /** "new class?" images: the group of look-alikes (1 = largest). */
  newClassGroup?: number;
}

export interface LoadedSuggestions {
  /** File name under <cacheDir>/suggestions/. */
  file: string;
  method: string;
  /** The probabilities are calibrated on the labelled images and include the chance of a class without labels. */
  calibrated?: boolean;
  /** The run's estimate of the share of unlabelled images in classes without labels. */
  newClassShare?: number;
  byPath: Map<string, LoadedSoftLabel>;
}

export interface LoadedIssue {
  path: string;
  label: string;
  suggestions: LoadedSuggestedLabel[];
  pGiven: number;
  predicted: string;
  pPredicted: number;
}

export interface LoadedIssues {
  method: string;
  /** Most likely wrong first, as the job ranked them. */
  items: LoadedIssue[];
}

export interface LoadedCluster {
  id: number;
  size: number;
  consistency: number;
  cohesion: number;
  stability: number | null;
  members: { path: string; membership: number }[];
}

export interface LoadedClusters {
  round: number;
  clusters: LoadedCluster[];
}

export interface LoadedDuplicateGroup {
  kind: 'exact' | 'near';
  maxDistance: number;
  /** Every file of the group (identical files of a near group flattened), in the job's order. */
  paths: string[];
  conflictingLabels: boolean;
}

export interface LoadedDuplicates {
  threshold: number;
  groups: LoadedDuplicateGroup[];
}

export interface LoadedImageProblem {
  path: string;
  kind: FindingKind;
  score: number;
}

export interface LoadedImageProblems {
  /** By kind, worst first within a kind, as the job ordered them. */
  findings: LoadedImageProblem[];
}

export interface LoadedResults {
  suggestions: LoadedSuggestions | null;
  issues: LoadedIssues | null;
  clusters: LoadedClusters | null;
  duplicates: LoadedDuplicates | null;
  imageProblems: LoadedImageProblems | null;
}

export const NO_RESULTS: LoadedResults = { suggestions: null, issues: null, clusters: null, duplicates: null, imageProblems: null };

/** The soft-label files, one per method; the newest one is shown. */
const SOFT_LABEL_FILES = ['pll.json', 'moe.json', 'knn.json'];
const MAX_ITEMS = 200_000;
const MAX_SUGGESTIONS = 9;

export async function loadLatestResults(cacheDir: string): Promise<LoadedResults> {
  const folder = join(cacheDir, SUGGESTIONS_FOLDER);
  const [suggestions, issues, clusters, duplicates, imageProblems] = await Promise.all([
    newestSoftLabels(folder),
    readResult(join(folder, ISSUES_FILE)).then(parseIssues),
    readResult(join(folder, CLUSTERS_FILE)).then(parseClusters),
    readResult(join(folder, DUPLICATES_FILE)).then(parseDuplicates),
    readResult(join(folder, IMAGE_PROBLEMS_FILE)).then(parseImageProblems),
  ]);
  return { suggestions, issues, clusters, duplicates, imageProblems };
}

async function newestSoftLabels(folder: string): Promise<LoadedSuggestions | null> {
  const dated = await Promise.all(SOFT_LABEL_FILES.map(async (file) => ({ file, mtimeMs: await stat(join(folder, file)).then((s) => s.mtimeMs, () => -1) })));
  dated.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { file, mtimeMs } of dated) {
    if (mtimeMs < 0) continue;
    const parsed = parseSoftLabels(file, await readResult(join(folder, file)));
    if (parsed) return parsed;
  }
  return null;
}

/** The parsed JSON object, or undefined when the file is missing, unreadable, or from a newer layout. */
async function readResult(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return await readResultFile(path);
  } catch {
    return undefined;
  }
}

export function parseSoftLabels(file: string, raw: Record<string, unknown> | undefined): LoadedSuggestions | null {
  if (!raw || !Array.isArray(raw.items)) return null;
  const byPath = new Map<string, LoadedSoftLabel>();
  for (const entry of raw.items.slice(0, MAX_ITEMS)) {
    if (!isRecord(entry) || !isPath(entry.path)) continue;
    const suggestions = parseSuggestedLabels(entry.suggestions);
    if (suggestions.length === 0) continue;
    byPath.set(entry.path, {
      label: typeof entry.label === 'string' ? entry.label : null,
      suggestions,
      ...(entry.unknownClass === true ? { unknownClass: true } : {}),
      ...(isProbability(entry.unknownScore) ? { unknownScore: entry.unknownScore } : {}),
      ...(isProbability(entry.pNewClass) ? { pNewClass: entry.pNewClass } : {}),
      ...(entry.unknownClass === true && Number.isInteger(entry.newClassGroup) && (entry.newClassGroup as number) > 0 && (entry.newClassGroup as number) <= 1000 ? { newClassGroup: entry.newClassGroup as number } : {}),
    });
  }
  // Files written before calibration have no openSet summary: their probabilities are the method's own.
  const calibrated = isRecord(raw.openSet);
  const newClassShare = calibrated && isProbability((raw.openSet as Record<string, unknown>).newClassShare) ? ((raw.openSet as Record<string, unknown>).newClassShare as number) : undefined;
  return { file, method: typeof raw.method === 'string' ? raw.method.slice(0, 32) : file.replace(/\.json$/, ''), calibrated, ...(newClassShare !== undefined ? { newClassShare } : {}), byPath };
}

export function parseIssues(raw: Record<string, unknown> | undefined): LoadedIssues | null {
  if (!raw || !Array.isArray(raw.items)) return null;
  const items: LoadedIssue[] = [];
  for (const entry of raw.items.slice(0, MAX_ITEMS)) {
    if (!isRecord(entry) || !isPath(entry.path) || typeof entry.label !== 'string' || typeof entry.predicted !== 'string') continue;
    if (!isProbability(entry.pGiven) || !isProbability(entry.pPredicted)) continue;
    items.push({ path: entry.path, label: entry.label, suggestions: parseSuggestedLabels(entry.suggestions), pGiven: entry.pGiven, predicted: entry.predicted, pPredicted: entry.pPredicted });
  }
  return { method: typeof raw.method === 'string' ? raw.method.slice(0, 32) : 'pll', items };
}

export function parseClusters(raw: Record<string, unknown> | undefined): LoadedClusters | null {
  if (!raw || !Array.isArray(raw.clusters)) return null;
  const clusters: LoadedCluster[] = [];
  for (const entry of raw.clusters) {
    if (!isRecord(entry) || !Number.isInteger(entry.id) || !Array.isArray(entry.members)) continue;
    const members = entry.members
      .slice(0, MAX_ITEMS)
      .filter((m): m is { path: string; membership: unknown } => isRecord(m) && isPath(m.path))
      .map((m) => ({ path: m.path, membership: finiteOr(m.membership, 0) }));
    clusters.push({
      id: entry.id as number,
      size: finiteOr(entry.size, members.length),
      consistency: finiteOr(entry.consistency, 0),
      cohesion: finiteOr(entry.cohesion, 0),
      stability: typeof entry.stability === 'number' && Number.isFinite(entry.stability) ? entry.stability : null,
      members,
    });
  }
  return { round: finiteOr(raw.round, 0), clusters };
}

export function parseDuplicates(raw: Record<string, unknown> | undefined): LoadedDuplicates | null {
  if (!raw || !Array.isArray(raw.groups)) return null;
  const groups: LoadedDuplicateGroup[] = [];
  for (const entry of raw.groups) {
    if (!isRecord(entry) || !Array.isArray(entry.members)) continue;
    // members: a list of lists (one per distinct content) of { path, label }.
    const paths = entry.members
      .flatMap((content: unknown) => (Array.isArray(content) ? content : []))
      .filter((m): m is { path: string } => isRecord(m) && isPath(m.path))
      .map((m) => m.path);
    if (paths.length < 2) continue;
    groups.push({ kind: entry.kind === 'near' ? 'near' : 'exact', maxDistance: finiteOr(entry.maxDistance, 0), paths, conflictingLabels: entry.conflictingLabels === true });
  }
  return { threshold: finiteOr(raw.threshold, 0), groups };
}

export function parseImageProblems(raw: Record<string, unknown> | undefined): LoadedImageProblems | null {
  if (!raw || !Array.isArray(raw.findings)) return null;
  const findings: LoadedImageProblem[] = [];
  for (const entry of raw.findings.slice(0, MAX_ITEMS)) {
    if (!isRecord(entry) || !isPath(entry.path) || !(FINDING_KINDS as readonly unknown[]).includes(entry.kind) || !isProbability(entry.score)) continue;
    findings.push({ path: entry.path, kind: entry.kind as FindingKind, score: entry.score });
  }
  return { findings };
}

function parseSuggestedLabels(raw: unknown): LoadedSuggestedLabel[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((s): s is { label: string; p: number } => isRecord(s) && typeof s.label === 'string' && s.label.length > 0 && isProbability(s.p))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => ({ label: s.label.slice(0, 100), p: s.p }));
}

function isPath(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 4096;
}

function isProbability(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
