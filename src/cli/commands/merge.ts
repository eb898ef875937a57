import { mergeShards } from '../../core/jobs/shards';
import { resolveModel } from '../../core/model/registry';
import { scanWorkspace } from '../../core/jobs/scanWorkspace';
import type { ParsedArgs } from '../args';
import { cacheDirFor, displayPath, explicitRoots, modelSource, targetDir, unlabeledFolderName } from '../context';
import type { ProgressLine } from '../progressLine';

/** `curator merge <dir>`: takes every finished `embed --shard` run's cache into each root's cache. */
export async function mergeCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const dir = targetDir(args, 'merge');
  const model = modelSource(args);
  const { descriptor } = await resolveModel(model.setting, { bundledDir: model.bundledDir, storageDir: model.storageDir, mirror: model.mirror, signal });
  const summaries = await scanWorkspace({ folders: [dir], explicitRoots: explicitRoots(args, dir), unlabeledFolderName: unlabeledFolderName(args) }, signal);
  const results = [];
  for (const summary of summaries) {
    progress.update(`merging shards of ${displayPath(dir, summary.root)}`);
    const merged = await mergeShards(cacheDirFor(args, summary.root), descriptor.id);
    results.push({ root: displayPath(dir, summary.root), shards: merged.shards.length, records: merged.records });
  }
  progress.done();
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ modelId: descriptor.id, roots: results }, null, 2) + '\n');
    return;
  }
  for (const r of results) process.stdout.write(`${r.root}: merged ${r.shards} shard(s), ${r.records} new records\n`);
}
