// Reads the newest ranked selection written by the selection job into <cacheDir>/selections/.
// The file is read as untrusted input: malformed items are skipped, never fatal, so a selection
// written by an older or newer version still shows what it can.

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkSelectionVersion, SELECTIONS_FOLDER } from '../results/selectionFiles';
import { jsonFilesNewestFirst } from '../util/jsonFiles';
import type { ReasonValue } from './types';

export interface LoadedSelectionItem {
  path: string;
  rank: number;
  score: number;
  reasons: Record<string, ReasonValue>;
  duplicates: string[];
}

export interface LoadedSelection {
  file: string;
  method: string;
  items: LoadedSelectionItem[];
}

/** Keys every item has; everything else numeric or textual is a reason. */
const ITEM_FIELDS = new Set(['path', 'rank', 'score', 'duplicates']);
/** Bounds on what one file may contribute: enough for any real selection, small enough for memory. */
const MAX_ITEMS = 200_000;
const MAX_REASONS = 32;

export async function loadLatestSelection(cacheDir: string): Promise<LoadedSelection | null> {
  for (const path of await jsonFilesNewestFirst(join(cacheDir, SELECTIONS_FOLDER))) {
    try {
      const raw: unknown = JSON.parse(await readFile(path, 'utf8'));
      checkSelectionVersion(raw, path);
      const parsed = parseSelection(basename(path), raw);
      if (parsed) return parsed;
    } catch {
      // An unreadable or half-written file, or one in a newer layout: fall back to the next newest.
    }
  }
  return null;
}

export function parseSelection(file: string, raw: unknown): LoadedSelection | null {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { items?: unknown }).items)) return null;
  const record = raw as { method?: unknown; items: unknown[] };
  const method = typeof record.method === 'string' ? record.method.slice(0, 64) : file.replace(/-[^-]*\.json$/, '');
  const items: LoadedSelectionItem[] = [];
  for (const entry of record.items.slice(0, MAX_ITEMS)) {
    const item = parseItem(entry, items.length + 1);
    if (item) items.push(item);
  }
  items.sort((a, b) => a.rank - b.rank);
  return { file, method, items };
}

function parseItem(raw: unknown, fallbackRank: number): LoadedSelectionItem | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const entry = raw as Record<string, unknown>;
  if (typeof entry.path !== 'string' || entry.path.length === 0) return null;
  const reasons: Record<string, ReasonValue> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (ITEM_FIELDS.has(key) || Object.keys(reasons).length >= MAX_REASONS) continue;
    if (typeof value === 'number' && Number.isFinite(value)) reasons[key] = value;
    else if (typeof value === 'string') reasons[key] = value.slice(0, 200);
    else if (Array.isArray(value)) reasons[key] = value.slice(0, 20).map(String).join(', ');
  }
  return {
    path: entry.path,
    rank: typeof entry.rank === 'number' && Number.isFinite(entry.rank) ? entry.rank : fallbackRank,
    score: typeof entry.score === 'number' && Number.isFinite(entry.score) ? entry.score : 0,
    reasons,
    duplicates: Array.isArray(entry.duplicates) ? entry.duplicates.filter((d): d is string => typeof d === 'string') : [],
  };
}
