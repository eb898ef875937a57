// curator duplicates <dir> [--threshold D] [--json]: exact duplicates (same content hash) and near
// ones (raw embedding cosine distance <= D), with labels, so a train/test split can avoid them.
import { findDuplicates } from '../../core/jobs/findDuplicates';
import { duplicateMarkdown } from '../../core/report/duplicateMarkdown';
import { writeReport } from '../../core/report/reportFile';
import type { ParsedArgs } from '../args';
import { displayPath } from '../context';
import type { ProgressLine } from '../progressLine';
import { resolveRootJob } from '../context';
import { optionalNumber } from './suggest';

export async function duplicatesCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const job = await resolveRootJob(args, 'duplicates', signal);
  progress.update(`${displayPath(job.dir, job.root)}: comparing images`);
  const result = await findDuplicates({ ...job.source, threshold: optionalNumber(args, 'threshold', 0, 2) }, signal);
  // The same Markdown report the editor writes and opens, beside the JSON result in the cache folder.
  const report = await writeReport(result.resultFile, job.root, (link) => duplicateMarkdown(result, link, new Date()));
  progress.done(`${displayPath(job.dir, job.root)}: ${result.exactGroups} exact and ${result.nearGroups} near-duplicate groups (distance <= ${result.threshold}) in ${result.seconds.toFixed(2)} s; report: ${report}`);
  for (const note of result.notes) process.stderr.write(`curator: ${note}\n`);
  const groups = result.groups.map((g) => ({ ...g, members: g.members.map((same) => same.map((m) => ({ ...m, path: job.prefix + m.path }))) }));
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ threshold: result.threshold, groups }, null, 2) + '\n');
    return;
  }
  const lines = groups.map(
    (g) =>
      `${g.kind}${g.kind === 'near' ? ` (max distance ${g.maxDistance})` : ''}${g.conflictingLabels ? ' CONFLICTING LABELS' : ''}:\n` +
      g.members.map((same) => `  ${same.map((m) => `${m.path} [${m.label ?? 'unlabelled'}]`).join(' = ')}`).join('\n'),
  );
  process.stdout.write((lines.length > 0 ? lines.join('\n') : 'No duplicates found.') + '\n');
}
