import { ScanHandoff } from '../../core/dataset/scanHandoff';
import { EncoderCache } from '../../core/embed/encoderCache';
import type { EmbedDatasetResult } from '../../core/embed/types';
import { embedDataset } from '../../core/jobs/embedDataset';
import { parseShard } from '../../core/jobs/shards';
import { scanWorkspace } from '../../core/jobs/scanWorkspace';
import { embedHeadline, encoderCheckSentence } from '../../core/report/summaryText';
import { positiveInteger, UsageError, type ParsedArgs } from '../args';
import { cacheDirFor, displayPath, executionProvider, explicitRoots, modelSource, targetDir, unlabeledFolderName } from '../context';
import type { ProgressLine } from '../progressLine';

export async function embedCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const dir = targetDir(args, 'embed');
  const batchSize = positiveInteger(args.values.get('batch-size'), 'batch-size', 16);
  const provider = executionProvider(args);
  const unlabeled = unlabeledFolderName(args);
  const shard = shardOption(args);
  // The roots' scans are handed to their embedding runs instead of being made twice.
  const scans = new ScanHandoff();
  const summaries = await scanWorkspace({ folders: [dir], explicitRoots: explicitRoots(args, dir), unlabeledFolderName: unlabeled }, signal, undefined, scans);
  const encoders = new EncoderCache();
  const results: EmbedDatasetResult[] = [];
  try {
    for (const summary of summaries) {
      const name = displayPath(dir, summary.root);
      const result = await embedDataset(
        { root: summary.root, unlabeledFolderName: unlabeled, cacheDir: cacheDirFor(args, summary.root), model: modelSource(args), executionProvider: provider, batchSize, shard, scanId: summary.scanId },
        {
          encoders,
          scans,
          signal,
          onProgress: (p) => {
            const rate = p.imagesPerSecond ? `, ${p.imagesPerSecond.toFixed(1)} img/s` : '';
            progress.update(`${name}: ${p.phase} ${p.done}${p.total ? `/${p.total}` : ''}${rate}`);
          },
        },
      );
      // Statistics alone (a cache from before they existed) cost a decode per image: say where the time went.
      const stats = result.statsComputed && result.statsComputed > result.embedded ? `, image statistics for ${result.statsComputed}` : '';
      progress.done(`${name}: ${result.embedded} embedded, ${result.fromCache} from cache${stats}, ${result.failed.length} failed (${result.providerNote})`);
      results.push(result);
    }
  } finally {
    await encoders.dispose();
  }
  if (args.switches.has('json')) {
    const roots = results.map((r) => ({ ...r, root: displayPath(dir, r.root) }));
    process.stdout.write(JSON.stringify({ roots }, null, 2) + '\n');
    return;
  }
  for (const result of results) {
    for (const failure of result.failed) process.stdout.write(`${displayPath(dir, result.root)}/${failure.relPath}: ${failure.message}\n`);
    for (const repair of result.cacheRepairs) process.stdout.write(`${displayPath(dir, result.root)}: cache repaired: ${repair}\n`);
    const check = encoderCheckSentence(result);
    if (check) process.stdout.write(`${displayPath(dir, result.root)}: ${check}\n`);
  }
  process.stdout.write((results.length ? embedHeadline(results) : 'no dataset roots found') + '\n');
}

function shardOption(args: ParsedArgs) {
  const text = args.values.get('shard');
  if (text === undefined) return undefined;
  try {
    return parseShard(text);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
