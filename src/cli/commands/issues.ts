// curator issues <dir> [--method pll|moe|knn] [--json]: only the labelled images whose label looks
// wrong, most likely wrong first, with the suggested correction and the evidence.
import { findLabelIssues } from '../../core/jobs/findLabelIssues';
import { issuesMarkdown } from '../../core/report/suggestionMarkdown';
import { writeReport } from '../../core/report/reportFile';
import { SUGGESTION_METHODS, type SuggestionMethod } from '../../core/suggest/types';
import { UsageError, type ParsedArgs } from '../args';
import { displayPath } from '../context';
import type { ProgressLine } from '../progressLine';
import { resolveRootJob } from '../context';
import { formatSuggestions, suggestionSettings } from './suggest';

export async function issuesCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const method = args.values.get('method') ?? 'pll';
  if (!(SUGGESTION_METHODS as readonly string[]).includes(method)) throw new UsageError(`--method must be one of ${SUGGESTION_METHODS.join(', ')} (got "${method}").`);
  const job = await resolveRootJob(args, 'issues', signal);
  progress.update(`${displayPath(job.dir, job.root)}: checking labels with ${method}`);
  const result = await findLabelIssues({ ...job.source, method: method as SuggestionMethod, ...suggestionSettings(args) }, signal);
  // The same Markdown report the editor writes and opens, beside the JSON result in the cache folder.
  const report = await writeReport(result.resultFile, job.root, (link) => issuesMarkdown(result, link, new Date()));
  progress.done(`${displayPath(job.dir, job.root)}: ${result.items.length} of ${result.labelled} labelled images flagged with ${result.method} in ${result.seconds.toFixed(2)} s; report: ${report}`);
  for (const note of result.notes) process.stderr.write(`curator: ${note}\n`);
  const items = result.items.map((item) => ({ ...item, path: job.prefix + item.path }));
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ method: result.method, labelled: result.labelled, items }, null, 2) + '\n');
    return;
  }
  process.stdout.write(formatSuggestions(result, items));
}
