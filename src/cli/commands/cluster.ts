// curator cluster <dir> [--k N] [--alpha A] [--new-round] [--json]: groups of similar unlabelled
// images with ids that stay stable across runs (SLR refinement against the previous round).
import { clusterImages } from '../../core/jobs/clusterImages';
import { clusterMarkdown } from '../../core/report/clusterMarkdown';
import { writeReport } from '../../core/report/reportFile';
import { UsageError, type ParsedArgs } from '../args';
import { displayPath } from '../context';
import type { ProgressLine } from '../progressLine';
import { resolveRootJob } from '../context';
import { optionalNumber } from './suggest';

export async function clusterCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const k = optionalNumber(args, 'k', 2, 10_000);
  if (k !== undefined && !Number.isInteger(k)) throw new UsageError('--k must be a whole number.');
  const job = await resolveRootJob(args, 'cluster', signal);
  progress.update(`${displayPath(job.dir, job.root)}: clustering`);
  const result = await clusterImages({ ...job.source, k, alpha: optionalNumber(args, 'alpha', 0, 1), seed: optionalNumber(args, 'seed', 0, 2 ** 31), newRound: args.switches.has('new-round') }, signal);
  // The same Markdown report the editor writes and opens, beside the JSON result in the cache folder.
  const report = await writeReport(result.resultFile, job.root, (link) => clusterMarkdown(result, link, new Date()));
  progress.done(`${displayPath(job.dir, job.root)}: round ${result.round}, ${result.clusters.length} clusters${result.refined ? `, refined against ${result.shared} images of the previous round` : ''} in ${result.seconds.toFixed(2)} s; report: ${report}`);
  for (const note of result.notes) process.stderr.write(`curator: ${note}\n`);
  const clusters = result.clusters.map((c) => ({ ...c, members: c.members.map((m) => ({ ...m, path: job.prefix + m.path })) }));
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ round: result.round, refined: result.refined, k: result.k, alpha: result.alpha, clusters }, null, 2) + '\n');
    return;
  }
  const lines = clusters.map(
    (c) => `cluster ${c.id}: ${c.size} images, cohesion ${c.cohesion.toFixed(3)}${c.stability === null ? '' : `, stability ${c.stability.toFixed(3)}`}\n  ${c.members.slice(0, 8).map((m) => m.path).join('\n  ')}${c.members.length > 8 ? `\n  ... and ${c.members.length - 8} more` : ''}`,
  );
  process.stdout.write(lines.join('\n') + '\n');
}
