// curator label <dir> --from <changes.csv|.jsonl> [--dry-run]: writes labels as the review panel
// does (folder datasets move files, manifest datasets rewrite labels.csv / labels.jsonl).
// curator label <dir> --accept-suggestions [--min-probability 0.9] [--dry-run]: labels each
// unlabelled image whose newest saved top suggestion is that sure (a calibrated probability),
// leaving alone the images marked "new class?"; says per class how many it files.
// curator label <dir> --from <Label Studio export.json | CVAT annotations.xml> [--allow-new-classes]:
// labels read back from an annotation tool (see labelsFromTool.ts).
// curator label <dir> --undo: reverses the newest run in the dataset's label journal, which the
// editor shares: a change made in the review panel is undone here as well.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeLabels, undoLastLabels, type UndoLabelsResult, type WriteLabelsResult } from '../../core/jobs/writeLabels';
import { readLabelChangeFile } from '../../core/labels/labelChangeFile';
import type { AppliedLabelChange, LabelChange, RefusedLabelChange } from '../../core/labels';
import { suggestionsToAccept } from '../../core/review/suggestionsToAccept';
import { countByClass, DEFAULT_ACCEPT_PROBABILITY, describeByClass } from '../../core/suggest/acceptSuggestions';
import { isAbortError } from '../../core/util/abort';
import { UsageError, type ParsedArgs } from '../args';
import { displayPath, resolveRootJob } from '../context';
import type { ProgressLine } from '../progressLine';
import { isAnnotationExportFile, labelsFromTool, readAnnotationExport } from './labelsFromTool';

export const LABEL_VALUES = ['from', 'min-probability'] as const;
export const LABEL_SWITCHES = ['undo', 'dry-run', 'accept-suggestions', 'allow-new-classes'] as const;
const REFUSALS_SHOWN = 20;

export async function labelCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const from = args.values.get('from');
  const undo = args.switches.has('undo');
  const accept = args.switches.has('accept-suggestions');
  if ([from !== undefined, undo, accept].filter(Boolean).length !== 1) {
    throw new UsageError('curator label needs exactly one of --from <changes.csv|changes.jsonl>, --accept-suggestions or --undo.');
  }
  if (undo && args.switches.has('dry-run')) throw new UsageError('--dry-run goes with --from or --accept-suggestions, not --undo.');
  if (!accept && args.values.has('min-probability')) throw new UsageError('--min-probability goes with --accept-suggestions.');
  const fromTool = from !== undefined && isAnnotationExportFile(from);
  if (!fromTool && args.switches.has('allow-new-classes')) throw new UsageError('--allow-new-classes goes with --from <Label Studio .json or CVAT .xml export>.');
  const minProbability = accept ? probability(args.values.get('min-probability')) : 0;
  // Read before scanning: a missing or malformed file is the likelier mistake.
  const exported = fromTool ? await readAnnotationExport(resolve(from)) : undefined;
  const file = from === undefined || fromTool ? undefined : await readLabelChangeFile(resolve(from));
  const { dir, root, source, prefix } = await resolveRootJob(args, 'label', signal);
  const params = { root, unlabeledFolderName: source.unlabeledFolderName, cacheDir: source.cacheDir };
  const where = displayPath(dir, root);

  if (undo) {
    const result = await undoLastLabels(params);
    printRefusals(result.refused);
    if (args.switches.has('json')) return printJson({ root: where, ...result });
    process.stdout.write(`${where}: ${describeUndo(result)}\n`);
    return;
  }

  let changes: LabelChange[];
  // Suggestions for images labelled, moved or deleted since they were made: refused, each keeps its label.
  let leftOut: RefusedLabelChange[] = [];
  let accepted: { method: string; minProbability: number; belowThreshold: number; unknownClass: number } | undefined;
  let hint = '';
  let imported: Awaited<ReturnType<typeof labelsFromTool>> | undefined;
  if (exported) {
    imported = await labelsFromTool(root, exported, { unlabeledFolderName: source.unlabeledFolderName, allowNewClasses: args.switches.has('allow-new-classes'), signal });
    printNotRead(imported.problems);
    changes = imported.plan.changes;
  } else if (file) {
    for (const problem of file.problems) process.stderr.write(`curator: ${problem}\n`);
    changes = file.changes.map((change) => ({ ...change, relPath: rootRelative(root, prefix, change.relPath) }));
  } else {
    const toAccept = await suggestionsToAccept(params);
    if (!toAccept) throw new Error(`${where} has no saved suggestions yet (none in ${source.cacheDir}); run curator suggest first.`);
    const picked = toAccept.at(minProbability);
    changes = picked.changes;
    leftOut = picked.leftOut;
    accepted = { method: toAccept.method, minProbability, belowThreshold: picked.belowThreshold, unknownClass: picked.unknownClass };
    if (changes.length + leftOut.length === 0) hint = toAccept.fewSureHint;
  }
  let result: WriteLabelsResult;
  try {
    const written = await writeLabels(params, changes, {
      dryRun: args.switches.has('dry-run'),
      signal,
      onProgress: (done, total) => progress.update(`${where}: moving ${done}/${total}`),
    });
    result = { ...written, refused: [...leftOut, ...written.refused] };
  } catch (error) {
    if (isAbortError(error)) process.stderr.write(`curator: stopped; the files moved so far stay, and \`curator label ${args.positional[0]} --undo\` moves them back.\n`);
    throw error;
  }
  progress.done();
  printRefusals(result.refused);
  // Per class, what was (or, in a dry run, would be) filed: the check a person makes before trusting a bulk accept.
  const byClass = countByClass(result.applied.map((change) => ({ relPath: change.oldRelPath, label: change.newLabel })));
  if (args.switches.has('json')) {
    const importReport = imported ? { imported: { tool: imported.plan.tool, entries: imported.plan.entries, newClasses: imported.plan.newClasses, problems: imported.plan.problems } } : {};
    return printJson({ root: where, ...(accepted ? { accepted: { ...accepted, byClass } } : {}), ...importReport, ...result });
  }
  if (imported) process.stdout.write(`${where}: ${imported.summary}\n`);
  if (accepted) {
    const threshold = `calibrated first suggestion of ${accepted.method} at least ${accepted.minProbability}`;
    process.stdout.write(
      `${where}: ${changes.length + leftOut.length} unlabelled images with a ${threshold}; ${accepted.belowThreshold} below it and ${accepted.unknownClass} marked "new class?" stay unlabelled\n`,
    );
    if (byClass.length > 0) process.stdout.write(`${where}: ${result.dryRun ? 'would file' : 'filed'} per class: ${describeByClass(byClass, Infinity)}\n`);
  }
  if (hint) process.stderr.write(`curator: ${hint}\n`);
  if (result.dryRun) for (const change of result.applied) process.stdout.write(`${describeChange(change)}\n`);
  process.stdout.write(`${where}: ${describeRun(result)}\n`);
  if (result.journalPath) process.stdout.write(`undo with: curator label ${args.positional[0]} --undo${args.values.has('root') ? ` --root ${args.values.get('root')}` : ''}\n`);
}

/**
 * Paths are relative to the dataset root; paths as the other commands print them (relative to the
 * folder given, so starting with the root's name) are taken too.
 */
function rootRelative(root: string, prefix: string, relPath: string): string {
  if (!prefix || !relPath.startsWith(prefix) || existsSync(join(root, relPath))) return relPath;
  return relPath.slice(prefix.length);
}

function probability(text: string | undefined): number {
  if (text === undefined) return DEFAULT_ACCEPT_PROBABILITY;
  const value = Number(text);
  if (!(value > 0 && value <= 1)) throw new UsageError(`--min-probability must be a number in (0, 1] (got "${text}").`);
  return value;
}

function describeRun(result: WriteLabelsResult): string {
  const how = result.mode === 'folder' ? 'moved into class folders' : 'written to the manifest';
  const verb = result.dryRun ? `would label ${result.applied.length} images (${how}); nothing was written` : `labelled ${result.applied.length} images (${how})`;
  return `${verb}; ${result.unchanged.length} already had that label, ${result.refused.length} refused`;
}

function describeUndo(result: UndoLabelsResult): string {
  const why = result.run.state === 'started' ? 'never applied (the run stopped early)' : 'already as they were before it';
  const stopped = result.notApplied.length > 0 ? `, ${result.notApplied.length} ${why}` : '';
  const who = result.run.origin === 'cli' ? 'curator label' : 'the editor';
  return `undid ${result.restored.length} label changes of ${result.journalPath} (${who}, ${result.run.createdAt})${stopped}, ${result.refused.length} refused`;
}

function describeChange(change: AppliedLabelChange): string {
  const label = (value: string | null): string => value ?? '(unlabelled)';
  const moved = change.newRelPath !== change.oldRelPath ? ` -> ${change.newRelPath}` : '';
  return `${change.oldRelPath}${moved}: ${label(change.oldLabel)} -> ${label(change.newLabel)}`;
}

/** Refusals on stderr, the first REFUSALS_SHOWN of them (a stale suggestions file can refuse thousands; --json has them all). */
function printRefusals(refused: ReadonlyArray<{ reason: string }>): void {
  for (const refusal of refused.slice(0, REFUSALS_SHOWN)) process.stderr.write(`curator: ${refusal.reason}\n`);
  if (refused.length > REFUSALS_SHOWN) process.stderr.write(`curator: ... and ${refused.length - REFUSALS_SHOWN} more refused (all of them are in the --json output)\n`);
}

/** An export's tasks that were not used, the first REFUSALS_SHOWN of them (the rest are in --json). */
function printNotRead(problems: readonly string[]): void {
  for (const problem of problems.slice(0, REFUSALS_SHOWN)) process.stderr.write(`curator: ${problem}\n`);
  if (problems.length > REFUSALS_SHOWN) process.stderr.write(`curator: ... and ${problems.length - REFUSALS_SHOWN} more not read (all of them are in the --json output)\n`);
}

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
