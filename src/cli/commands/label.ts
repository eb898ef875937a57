// curator label <dir> --from <changes.csv|.jsonl> [--dry-run]: writes labels as the review panel
// does (folder datasets move files, manifest datasets rewrite labels.csv / labels.jsonl).
// curator label <dir> --undo: reverses the last such run from its journal.
import { resolve } from 'node:path';
import { writeLabels, undoLastLabels, type UndoLabelsResult, type WriteLabelsResult } from '../../core/jobs/writeLabels';
import { readLabelChangeFile } from '../../core/labels/labelChangeFile';
import type { AppliedLabelChange } from '../../core/labels';
import { isAbortError } from '../../core/util/abort';
import { UsageError, type ParsedArgs } from '../args';
import { displayPath, resolveRootJob } from '../context';
import type { ProgressLine } from '../progressLine';

export const LABEL_VALUES = ['from'] as const;
export const LABEL_SWITCHES = ['undo', 'dry-run'] as const;

export async function labelCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const from = args.values.get('from');
  const undo = args.switches.has('undo');
  if (undo === (from !== undefined)) throw new UsageError('curator label needs either --from <changes.csv|changes.jsonl> or --undo.');
  if (undo && args.switches.has('dry-run')) throw new UsageError('--dry-run goes with --from, not --undo.');
  // Read before scanning: a missing or malformed file is the likelier mistake.
  const file = from === undefined ? undefined : await readLabelChangeFile(resolve(from));
  const { dir, root, source } = await resolveRootJob(args, 'label', signal);
  const params = { root, unlabeledFolderName: source.unlabeledFolderName, cacheDir: source.cacheDir };
  const where = displayPath(dir, root);

  if (!file) {
    const result = await undoLastLabels(params);
    printRefusals(result.refused);
    if (args.switches.has('json')) return printJson({ root: where, ...result });
    process.stdout.write(`${where}: ${describeUndo(result)}\n`);
    return;
  }

  for (const problem of file.problems) process.stderr.write(`curator: ${problem}\n`);
  let result: WriteLabelsResult;
  try {
    result = await writeLabels(params, file.changes, {
      dryRun: args.switches.has('dry-run'),
      signal,
      onProgress: (done, total) => progress.update(`${where}: moving ${done}/${total}`),
    });
  } catch (error) {
    if (isAbortError(error)) process.stderr.write(`curator: stopped; the files moved so far stay, and \`curator label ${args.positional[0]} --undo\` moves them back.\n`);
    throw error;
  }
  progress.done();
  printRefusals(result.refused);
  if (args.switches.has('json')) return printJson({ root: where, ...result });
  if (result.dryRun) for (const change of result.applied) process.stdout.write(`${describeChange(change)}\n`);
  process.stdout.write(`${where}: ${describeRun(result)}\n`);
  if (result.journalPath) process.stdout.write(`undo with: curator label ${args.positional[0]} --undo${args.values.has('root') ? ` --root ${args.values.get('root')}` : ''}\n`);
}

function describeRun(result: WriteLabelsResult): string {
  const how = result.mode === 'folder' ? 'moved into class folders' : 'written to the manifest';
  const verb = result.dryRun ? `would label ${result.applied.length} images (${how}); nothing was written` : `labelled ${result.applied.length} images (${how})`;
  return `${verb}; ${result.unchanged.length} already had that label, ${result.refused.length} refused`;
}

function describeUndo(result: UndoLabelsResult): string {
  const stopped = result.notApplied.length > 0 ? `, ${result.notApplied.length} never applied (the run stopped early)` : '';
  return `undid ${result.restored.length} label changes of ${result.journalPath}${stopped}, ${result.refused.length} refused`;
}

function describeChange(change: AppliedLabelChange): string {
  const label = (value: string | null): string => value ?? '(unlabelled)';
  const moved = change.newRelPath !== change.oldRelPath ? ` -> ${change.newRelPath}` : '';
  return `${change.oldRelPath}${moved}: ${label(change.oldLabel)} -> ${label(change.newLabel)}`;
}

function printRefusals(refused: ReadonlyArray<{ reason: string }>): void {
  for (const refusal of refused) process.stderr.write(`curator: ${refusal.reason}\n`);
}

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
