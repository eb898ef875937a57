// curator select <dir> [--method <m>] --budget <B> [--seed <S>] [--json]: rank unlabelled images to
// label next from the cached embeddings. Run `curator embed` first; nothing is embedded here. The
// selection is saved into the root's cache, as Select Samples does in the editor.
import { join } from 'node:path';
import { selectSamples, type SelectSamplesResult } from '../../core/jobs/selectSamples';
import { saveSelection } from '../../core/report/savedSelections';
import { SELECTION_METHODS, type SelectionMethod } from '../../core/select/types';
import { positiveInteger, UsageError, type ParsedArgs } from '../args';
import { displayPath, resolveRootJob } from '../context';
import type { ProgressLine } from '../progressLine';

export const SELECT_VALUES = ['method', 'budget', 'seed'] as const;
export const SELECT_SWITCHES = ['farthest-first'] as const;

export async function selectCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  // auto (the default) runs TypiClust while labels are few per class, then LPLgrad.
  const method = args.values.get('method') ?? 'auto';
  if (!(SELECTION_METHODS as readonly string[]).includes(method)) throw new UsageError(`--method must be one of ${SELECTION_METHODS.join(', ')} (got "${method}").`);
  if (!args.values.has('budget')) throw new UsageError('curator select needs --budget <number of images>.');
  const budget = positiveInteger(args.values.get('budget'), 'budget', 1);
  const seedText = args.values.get('seed') ?? '0';
  const seed = Number(seedText);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer (got "${seedText}").`);
  const { dir, root, source, prefix } = await resolveRootJob(args, 'select', signal);
  const result = await selectSamples(
    {
      ...source,
      method: method as SelectionMethod,
      budget,
      seed,
      farthestFirst: args.switches.has('farthest-first'),
      kernelsDir: join(__dirname, 'models', 'kernels'),
    },
    signal,
    (p) => progress.update(`${displayPath(dir, root)}: ${p.phase} ${p.done}${p.total ? `/${p.total}` : ''}`),
  );
  // Saved where the editor's review panel and `curator export-selection` look for it.
  const saved = await saveSelection(source.cacheDir, result);
  progress.done(`${displayPath(dir, root)}: ${result.items.length} of ${result.candidates} unlabelled images selected with ${result.method} in ${result.seconds.toFixed(2)} s (${result.kernels} kernels); saved as ${saved.jsonPath}`);
  if (result.autoChoice) process.stderr.write(`curator: auto ran ${result.autoChoice.method}: ${result.autoChoice.reason}.\n`);
  for (const note of result.notes) process.stderr.write(`curator: ${note}\n`);
  // Item paths are relative to the dataset root; prefix the root when it is not the folder given.
  const items = result.items.map((item) => ({ ...item, path: prefix + item.path, ...(item.duplicates ? { duplicates: item.duplicates.map((d) => prefix + d) } : {}) }));
  if (args.switches.has('json')) {
    const { method: m, budget: b, seed: s, variant } = result;
    const { autoChoice } = result;
    process.stdout.write(JSON.stringify({ method: m, ...(autoChoice ? { ran: autoChoice.method, why: autoChoice.reason } : {}), budget: b, seed: s, ...(variant ? { variant } : {}), savedAs: saved.jsonPath, items }, null, 2) + '\n');
    return;
  }
  process.stdout.write(formatTable(result, items));
}

function formatTable(result: SelectSamplesResult, items: SelectSamplesResult['items']): string {
  const lines = [`rank  score       path  (why)`];
  for (const item of items) {
    const { path, rank, score, duplicates, ...why } = item;
    const reasons = Object.entries(why)
      .map(([key, value]) => `${key}=${typeof value === 'number' ? Number(value.toPrecision(4)) : value}`)
      .join(' ');
    lines.push(`${String(rank).padStart(4)}  ${score.toPrecision(4).padEnd(10)}  ${path}${reasons ? `  (${reasons})` : ''}${duplicates ? `  [+${duplicates.length} identical]` : ''}`);
  }
  const ran = result.autoChoice ? ` (ran ${result.autoChoice.method}: ${result.autoChoice.reason})` : '';
  lines.push(`${result.method}${ran}: ${items.length} of ${result.candidates} unlabelled images, seed ${result.seed}`);
  return lines.join('\n') + '\n';
}
