// curator suggest <dir> --method <pll|moe|knn> [--json]: soft-label suggestions for every image
// from the cached embeddings (run `curator embed` first); labelled images whose label looks wrong
// are flagged. Its settings and formatting are shared by `issues`, `cluster` and `duplicates`.
import { suggestLabels, type SuggestLabelsResult } from '../../core/jobs/suggestLabels';
import { suggestionsMarkdown } from '../../core/report/suggestionMarkdown';
import { writeReport } from '../../core/report/reportFile';
import type { ModelSource } from '../../core/embed/types';
import { SUGGESTION_METHODS, type SuggestionMethod } from '../../core/suggest/types';
import type { SuggestionItem } from '../../core/suggest/suggestionReport';
import type { VisionLanguageSettings } from '../../core/suggest/zeroShot/zeroShotExpert';
import { UsageError, type ParsedArgs } from '../args';
import { displayPath, modelSource, resolveRootJob } from '../context';
import type { ProgressLine } from '../progressLine';
import { VISION_LANGUAGE_FLAGS, visionLanguageSettings } from './visionLanguage';

/** Flags of suggest, issues, cluster and duplicates (registered once in main.ts). */
export const SUGGEST_VALUES = ['method', 'seed', 'issue-confidence', 'expert-model', ...VISION_LANGUAGE_FLAGS, 'k', 'alpha', 'threshold'] as const;
export const SUGGEST_SWITCHES = ['new-round'] as const;

export function optionalNumber(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const text = args.values.get(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`--${name} must be a number from ${min} to ${max} (got "${text}").`);
  return value;
}

export function suggestionSettings(args: ParsedArgs): { seed?: number; issueConfidence?: number; expertModels?: ModelSource[]; visionLanguage?: VisionLanguageSettings } {
  const seed = optionalNumber(args, 'seed', 0, 2 ** 31);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed must be a whole number.');
  const expert = args.values.get('expert-model');
  return {
    seed,
    issueConfidence: optionalNumber(args, 'issue-confidence', 0, 1),
    // A second model's descriptor, resolved exactly like --model.
    expertModels: expert ? [modelSource({ positional: [], values: new Map([['model', expert]]), switches: new Set() })] : undefined,
    visionLanguage: visionLanguageSettings(args),
  };
}

export async function suggestCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const method = args.values.get('method') ?? 'pll';
  if (!(SUGGESTION_METHODS as readonly string[]).includes(method)) throw new UsageError(`--method must be one of ${SUGGESTION_METHODS.join(', ')} (got "${method}").`);
  const job = await resolveRootJob(args, 'suggest', signal);
  progress.update(`${displayPath(job.dir, job.root)}: ${method} suggestions`);
  const result = await suggestLabels({ ...job.source, method: method as SuggestionMethod, ...suggestionSettings(args) }, signal);
  // The same Markdown report the editor writes and opens, beside the JSON result in the cache folder.
  const report = await writeReport(result.resultFile, job.root, (link) => suggestionsMarkdown(result, link, new Date()));
  progress.done(`${displayPath(job.dir, job.root)}: ${result.items.length} images, ${result.issues} flagged, with ${result.method} in ${result.seconds.toFixed(2)} s; report: ${report}`);
  for (const note of result.notes) process.stderr.write(`curator: ${note}\n`);
  const items = result.items.map((item) => ({ ...item, path: job.prefix + item.path }));
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ method: result.method, classes: result.classes, ...(result.openSet ? { openSet: result.openSet } : {}), items }, null, 2) + '\n');
    return;
  }
  process.stdout.write(formatSuggestions(result, items));
}

export function formatSuggestions(result: Pick<SuggestLabelsResult, 'method'>, items: SuggestionItem[]): string {
  const lines = items.map((item) => {
    const suggestions = item.suggestions.map((s) => `${s.label} ${(s.p * 100).toFixed(1)}%`).join(', ');
    const flag = item.issue ? `  ISSUE: labelled ${item.label}, looks like ${item.predicted} (p ${item.pPredicted?.toFixed(3)} vs ${item.pGiven?.toFixed(3)})` : '';
    const unknown = item.unknownClass ? `  NEW CLASS? (p ${item.pNewClass?.toFixed(2)} of a class without labels)` : '';
    return `${item.path}  [${item.label ?? 'unlabelled'}]  ${suggestions}${flag}${unknown}`;
  });
  const unknown = items.filter((i) => i.unknownClass).length;
  lines.push(`${result.method}: ${items.length} images, ${items.filter((i) => i.issue).length} flagged${unknown > 0 ? `, ${unknown} marked "new class?"` : ''}`);
  return lines.join('\n') + '\n';
}
