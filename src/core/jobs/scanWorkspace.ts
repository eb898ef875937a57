// Scans every dataset root under a set of folders and summarises each one.
// The summary, not the per-image list, is what crosses the RPC: a 100k-image list stays in the engine.

import { isAbsolute, resolve } from 'node:path';
import { findDatasetRoots } from '../dataset/roots';
import { scanDataset } from '../dataset/scan';
import type { ScanHandoff } from '../dataset/scanHandoff';
import type { DatasetProblem, DatasetScan } from '../dataset/types';

export interface ScanRequest {
  /** Absolute folders to search for dataset roots (the workspace folders, or the CLI's argument). */
  folders: string[];
  /** Roots given by the user, absolute or relative to the first folder; empty to discover them. */
  explicitRoots: string[];
  unlabeledFolderName: string;
}

export interface ScanSummary {
  root: string;
  counts: DatasetScan['counts'];
  classes: DatasetScan['classes'];
  manifest: DatasetScan['manifest'];
  problems: DatasetProblem[];
  /** Names this scan for the next job on the root (see ScanHandoff); set when the caller keeps scans. */
  scanId?: string;
}

export async function scanWorkspace(
  request: ScanRequest,
  signal?: AbortSignal,
  onProgress?: (filesSeen: number) => void,
  handoff?: ScanHandoff,
): Promise<ScanSummary[]> {
  const roots = await datasetRoots(request);
  const summaries: ScanSummary[] = [];
  let seenBefore = 0;
  for (const root of roots) {
    let seenHere = 0;
    const scan = await scanDataset(root, {
      unlabeledFolderName: request.unlabeledFolderName,
      signal,
      onProgress: (filesSeen) => {
        seenHere = filesSeen;
        onProgress?.(seenBefore + filesSeen);
      },
    });
    seenBefore += seenHere;
    summaries.push(handoff ? { ...summarise(scan), scanId: handoff.keep(scan, request.unlabeledFolderName) } : summarise(scan));
  }
  return summaries;
}

export function summarise(scan: DatasetScan): ScanSummary {
  return { root: scan.root, counts: scan.counts, classes: scan.classes, manifest: scan.manifest, problems: scan.problems };
}

async function datasetRoots(request: ScanRequest): Promise<string[]> {
  if (request.explicitRoots.length > 0) {
    const base = request.folders[0] ?? process.cwd();
    return request.explicitRoots.map((root) => (isAbsolute(root) ? root : resolve(base, root)));
  }
  const found = new Set<string>();
  for (const folder of request.folders) for (const root of await findDatasetRoots(folder, { unlabeledFolderName: request.unlabeledFolderName })) found.add(root);
  return [...found].sort();
}
