// The readable Markdown report of a job, written beside the JSON result the job left in the cache
// folder (<cacheDir>/suggestions/pll.md beside pll.json), with image links that open from there.
// Suggest Labels, Find Label Issues, Group Unlabelled and Find Near-Duplicates write it, in the
// editor and on the command line alike.
import { dirname, join, relative } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import type { LinkTarget } from './suggestionMarkdown';

/** The report's path: the result file's, with .md for .json. */
export function reportPathFor(resultFile: string): string {
  return resultFile.replace(/\.json$/, '.md');
}

/** Image links relative to the report's folder, so they open from the Markdown preview. */
export function linkFrom(reportPath: string, root: string): LinkTarget {
  return (path) => relative(dirname(reportPath), join(root, path)).split('\\').join('/');
}

/** Writes the Markdown `render` makes (given links that work from the report's folder) beside `resultFile`; returns its path. */
export async function writeReport(resultFile: string, root: string, render: (link: LinkTarget) => string): Promise<string> {
  const reportPath = reportPathFor(resultFile);
  await writeFileAtomic(reportPath, render(linkFrom(reportPath, root)));
  return reportPath;
}
