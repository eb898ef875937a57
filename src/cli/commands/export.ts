import { resolve, join, basename } from 'node:path';
import { exportRootEmbeddings, type ExportRootEmbeddingsResult } from '../../core/jobs/exportRootEmbeddings';
import { scanWorkspace } from '../../core/jobs/scanWorkspace';
import { UsageError, type ParsedArgs } from '../args';
import { cacheDirFor, displayPath, explicitRoots, modelSource, targetDir, unlabeledFolderName } from '../context';
import type { ProgressLine } from '../progressLine';

export async function exportCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const dir = targetDir(args, 'export');
  const out = args.values.get('out');
  if (!out) throw new UsageError('curator export needs --out <folder>.');
  const unlabeled = unlabeledFolderName(args);
  const summaries = await scanWorkspace({ folders: [dir], explicitRoots: explicitRoots(args, dir), unlabeledFolderName: unlabeled }, signal);
  if (summaries.length === 0) throw new Error(`No dataset roots found under ${dir}.`);
  const results: Array<ExportRootEmbeddingsResult & { root: string }> = [];
  for (const summary of summaries) {
    // One root exports straight into --out; several get a sub-folder each.
    const outDir = summaries.length === 1 ? resolve(out) : join(resolve(out), basename(summary.root));
    progress.update(`exporting ${displayPath(dir, summary.root)}`);
    const result = await exportRootEmbeddings(
      { root: summary.root, unlabeledFolderName: unlabeled, cacheDir: cacheDirFor(args, summary.root), model: modelSource(args), outDir },
      signal,
    );
    results.push({ ...result, root: displayPath(dir, summary.root) });
  }
  progress.done();
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ roots: results }, null, 2) + '\n');
    return;
  }
  for (const r of results) {
    const missing = r.missing.length ? ` (${r.missing.length} images without an embedding: run curator embed first)` : '';
    process.stdout.write(`${r.root}: ${r.rows} x ${r.dim} embeddings -> ${r.outDir}${missing}\n`);
  }
}
