import { scanWorkspace } from '../../core/jobs/scanWorkspace';
import { scanDetails, scanHeadline } from '../../core/report/summaryText';
import type { ParsedArgs } from '../args';
import { displayPath, explicitRoots, targetDir, unlabeledFolderName } from '../context';
import type { ProgressLine } from '../progressLine';

export async function scanCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const dir = targetDir(args, 'scan');
  const summaries = await scanWorkspace(
    { folders: [dir], explicitRoots: explicitRoots(args, dir), unlabeledFolderName: unlabeledFolderName(args) },
    signal,
    (filesSeen) => progress.update(`scanning: ${filesSeen} files`),
  );
  progress.done();
  if (args.switches.has('json')) {
    const roots = summaries.map((s) => ({ ...s, root: displayPath(dir, s.root) }));
    process.stdout.write(JSON.stringify({ roots }, null, 2) + '\n');
    return;
  }
  for (const summary of summaries) process.stdout.write(scanDetails(summary, displayPath(dir, summary.root)) + '\n');
  process.stdout.write(scanHeadline(summaries) + '\n');
}
