// The suggestion jobs' latest results in a root's cache folder, <cacheDir>/suggestions/: soft labels
// (pll.json, moe.json, knn.json), label issues, clusters, duplicate groups and image problems. Each holds the job's
// result without its root, after `formatVersion` and `createdAt`. The review panel reads them
// through review/resultFiles.ts; the cluster rounds (clusterRounds.ts) share the envelope.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { checkFormatVersion, isRecord } from './formatVersion';

/** <cacheDir>/suggestions/: pll.json, moe.json, knn.json, issues.json, clusters.json, duplicates.json, image-problems.json. */
export const SUGGESTIONS_FOLDER = 'suggestions';

/** Raised when a result file's layout changes in a way an older reader would misread. */
export const RESULT_FORMAT_VERSION = 1;

export const ISSUES_FILE = 'issues.json';
export const CLUSTERS_FILE = 'clusters.json';
export const DUPLICATES_FILE = 'duplicates.json';
export const IMAGE_PROBLEMS_FILE = 'image-problems.json';

/**
 * Result files hold what the review panel needs; `root` is left out so the folder can move. They
 * carry RESULT_FORMAT_VERSION so a reader can tell a file from a newer, different layout, and are
 * replaced atomically, so the panel never reads half a file while a job writes the next one.
 */
export async function writeResultFile<R extends { root: string; resultFile: string }>(file: string, result: R): Promise<void> {
  const { root: _root, resultFile: _file, ...portable } = result;
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify({ formatVersion: RESULT_FORMAT_VERSION, createdAt: new Date().toISOString(), ...portable }, null, 1) + '\n');
}

/**
 * A result file's JSON object. Throws UnknownFormatVersionError for a layout this version does not
 * know, and the read or parse error for a missing or broken file.
 */
export async function readResultFile(file: string): Promise<Record<string, unknown>> {
  const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isRecord(raw)) throw new Error(`${file} does not hold a JSON object`);
  checkFormatVersion(raw, RESULT_FORMAT_VERSION, file);
  return raw;
}
