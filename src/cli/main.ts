// `curator`: the headless face of the extension, on the same core. Results go to stdout
// (--json for machines), progress and errors to stderr; exit 2 on usage errors, 1 on failures.

import { parseArgs, UsageError } from './args';
import { embedCommand } from './commands/embed';
import { exportCommand } from './commands/export';
import { EXPORT_SELECTION_VALUES, exportSelectionCommand } from './commands/exportSelection';
import { mergeCommand } from './commands/merge';
import { scanCommand } from './commands/scan';
import { SELECT_SWITCHES, SELECT_VALUES, selectCommand } from './commands/select';
import { clusterCommand } from './commands/cluster';
import { duplicatesCommand } from './commands/duplicates';
import { qualityCommand } from './commands/quality';
import { issuesCommand } from './commands/issues';
import { LABEL_SWITCHES, LABEL_VALUES, labelCommand } from './commands/label';
import { SUGGEST_SWITCHES, SUGGEST_VALUES, suggestCommand } from './commands/suggest';
import { COMMON_VALUES } from './context';
import { modelsCommand, pullWithProgress } from './commands/models';
import { findCatalogueEntry } from '../core/model/catalogue';
import { ProgressLine } from './progressLine';

const USAGE = `Usage: curator <command> <folder> [options]

Commands:
  models [--json]               the bundled models and the catalogue: licence, checksum, size,
                                input, outputs, measured quality, whether each is on disk
  models pull <id>              download, verify and store a catalogue model (once; then offline);
                                CURATOR_MODEL_MIRROR=<base URL> fetches <base>/<file name> instead
  scan <folder>                 find dataset roots; count images, labels, classes, problems
  embed <folder> [--shard i/n]  compute (or reuse cached) embeddings for every image;
                                with --shard, only the i-th of n shares (for a cluster job array)
  merge <folder>                take finished shard runs into each root's cache
  export <folder> --out <dir>   write embeddings.npy, index.csv and meta.json for Python
  select <folder> [--method <m>] --budget <B> [--seed <S>]
                                rank unlabelled images to label next (run embed first),
                                saved into the root's cache for the review panel;
                                m: auto (default: typiclust while labels are few per class,
                                then lplgrad) |typiclust|probcover|freesel|lplgrad|random|
                                entropy|margin|least-confidence|kcenter
  export-selection <folder> --as copy|symlink|csv|json|coco|yolo --out <path> [--selection <file>]
                                the newest saved selection (or the file named) as copied or
                                linked images in a folder, or as a CSV / JSON list
  export-selection <folder> --as label-studio|cvat --out <file> [--base <folder>]
                                Label Studio tasks (suggestions as predictions) and labelling
                                configuration, or a CVAT image list and labels JSON
  label <folder> --from <changes.csv|.jsonl> [--dry-run]
                                write labels (path,label rows; empty label = unlabelled) as
                                the review panel does: folder datasets move files, manifest
                                datasets rewrite labels.csv / labels.jsonl
  label <folder> --from <export.json|annotations.xml> [--allow-new-classes] [--dry-run]
                                labels from a Label Studio JSON or CVAT for images 1.1 export,
                                matched to the images by path; reports what it cannot match
  label <folder> --accept-suggestions [--min-probability 0.9] [--dry-run]
                                label each unlabelled image whose top saved suggestion is at
                                least that probable (run suggest first)
  label <folder> --undo         undo the newest label change, made by curator label or in
                                the editor (the review panel, Accept Sure Suggestions)
  suggest <folder> [--method pll|moe|knn]
                                soft-label suggestions for every image; flags labels that
                                look wrong (run embed first; moe: --expert-model <descriptor>)
                                moe zero-shot expert: --clip-image-model <descriptor>
                                --clip-text-encoder <text.onnx> --clip-vocab <vocab.txt>
                                [--clip-prompt "a photo of a {class}"] [--clip-temperature 0.01]
  issues <folder> [--method pll|moe|knn]
                                only the flagged labelled images, most likely wrong first
  cluster <folder> [--k N] [--alpha A] [--new-round]
                                group unlabelled images; ids stay stable across runs
  duplicates <folder> [--threshold D]
                                exact (same content) and near-duplicate groups (embedding
                                cosine distance <= D, default 0.01)
  quality <folder>              images that look wrong beside the rest of the root: dark,
                                bright, blurry, low-information, grayscale, odd-aspect-ratio,
                                odd-size (from statistics the embed run stores; run embed first)

Options:
  --json                        machine-readable output on stdout
  --root <path>                 use this dataset root instead of discovering roots
                                (a relative path is taken from the folder given)
  --unlabeled-folder <name>     folder of unlabelled images under a root (default: unlabeled)
  --model <default|id|file.json|https://...json>
                                embedding model: bundled, a catalogue id (pulled on first use),
                                a descriptor file or URL (default: the bundled default)
  --provider <auto|cuda|cpu>    onnxruntime execution provider (default: auto)
  --batch-size <n>              images per forward pass (default: 16)
  --cache-location <dir>        keep caches under this folder instead of <root>/.curator
  --quiet                       no progress on stderr
  --farthest-first              select: FreeSel takes the farthest pattern instead of D^2 sampling
`;

type Command = (args: ReturnType<typeof parseArgs>, progress: ProgressLine, signal: AbortSignal) => Promise<void>;
const commands: Record<string, Command> = {
  scan: scanCommand,
  embed: embedCommand,
  export: exportCommand,
  'export-selection': exportSelectionCommand,
  merge: mergeCommand,
  select: selectCommand,
  label: labelCommand,
  suggest: suggestCommand,
  issues: issuesCommand,
  cluster: clusterCommand,
  duplicates: duplicatesCommand,
  quality: qualityCommand,
  models: modelsCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`Unknown command "${name}".`);
  const args = parseArgs(rest, { values: [...COMMON_VALUES, 'out', 'shard', ...SELECT_VALUES, ...SUGGEST_VALUES, ...EXPORT_SELECTION_VALUES, ...LABEL_VALUES], switches: ['json', 'quiet', 'help', ...SELECT_SWITCHES, ...SUGGEST_SWITCHES, ...LABEL_SWITCHES] });
  if (args.switches.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const progress = new ProgressLine(args.switches.has('quiet'));
  // Catalogue models are pulled before the command starts, so their downloads show on stderr whatever the command.
  for (const flag of ['model', 'expert-model']) {
    const model = args.values.get(flag);
    if (name !== 'models' && model !== undefined && findCatalogueEntry(model)) await pullWithProgress(model, args, progress, controller.signal);
  }
  await command(args, progress, controller.signal);
  return controller.signal.aborted ? 130 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`curator: ${message}\n`);
    if (error instanceof UsageError) process.stderr.write('Run `curator --help` for usage.\n');
    process.exit(error instanceof UsageError ? 2 : error instanceof Error && error.name === 'AbortError' ? 130 : 1);
  },
);
