// curator quality <dir> [--json]: images that look wrong next to the rest of their root (dark,
// bright, blurry, low-information, grayscale, odd aspect ratio, odd size), from the statistics the
// embed run stored; each finding is { path, kind, score }, worst first within a kind.
import { findImageProblems } from '../../core/jobs/findImageProblems';
import { FINDING_KINDS } from '../../core/quality/imageFindings';
import { FINDING_DESCRIPTIONS, imageProblemMarkdown } from '../../core/report/imageProblemMarkdown';
import { writeReport } from '../../core/report/reportFile';
import type { ParsedArgs } from '../args';
import { displayPath, resolveRootJob } from '../context';
import type { ProgressLine } from '../progressLine';

export async function qualityCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const job = await resolveRootJob(args, 'quality', signal);
  progress.update(`${displayPath(job.dir, job.root)}: reading image statistics`);
  const result = await findImageProblems(job.source, signal);
  // The same Markdown report the editor writes and opens, beside the JSON result in the cache folder.
  const report = await writeReport(result.resultFile, job.root, (link) => imageProblemMarkdown(result, link, new Date()));
  progress.done(`${displayPath(job.dir, job.root)}: ${result.findings.length} image problems in ${result.images} images in ${result.seconds.toFixed(2)} s; report: ${report}`);
  for (const note of result.notes) process.stderr.write(`curator: ${note}\n`);
  const findings = result.findings.map((finding) => ({ ...finding, path: job.prefix + finding.path }));
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ images: result.images, counts: result.counts, thresholds: result.thresholds, findings }, null, 2) + '\n');
    return;
  }
  const lines = FINDING_KINDS.flatMap((kind) => {
    const rows = findings.filter((f) => f.kind === kind);
    return rows.length === 0 ? [] : [`${kind} (${rows.length}): ${FINDING_DESCRIPTIONS[kind]}`, ...rows.map((f) => `  ${f.score.toFixed(3)}  ${f.path}`)];
  });
  process.stdout.write((lines.length > 0 ? lines.join('\n') : `No image problems found in ${result.images} images.`) + '\n');
}
