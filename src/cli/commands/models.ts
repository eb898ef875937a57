// `curator models [--json]`: the bundled models and the catalogue, with what is on disk.
// `curator models pull <id>`: downloads, verifies and prepares a catalogue model (progress on stderr).
import { findCatalogueEntry, MODEL_CATALOGUE } from '../../core/model/catalogue';
import { MODEL_MIRROR_ENV } from '../../core/model/catalogueStore';
import { formatBytes, listModels, type ModelListing } from '../../core/model/modelListing';
import { resolveModel } from '../../core/model/registry';
import { UsageError, type ParsedArgs } from '../args';
import { modelSource } from '../context';
import type { ProgressLine } from '../progressLine';

export async function modelsCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const [action, id, ...extra] = args.positional;
  if (action === undefined) return listCommand(args);
  if (action !== 'pull') throw new UsageError(`curator models takes no folder; did you mean \`curator models pull ${action}\`?`);
  if (id === undefined || extra.length > 0) throw new UsageError('curator models pull needs exactly one model id (see `curator models`).');
  if (!findCatalogueEntry(id)) throw new UsageError(`Unknown model id "${id}"; the catalogue holds ${MODEL_CATALOGUE.map((e) => e.id).join(', ')}.`);
  const { path, downloaded } = await pullWithProgress(id, args, progress, signal);
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ id, path, downloaded }, null, 2) + '\n');
    return;
  }
  process.stdout.write(`${id}: ${downloaded ? 'downloaded, verified and stored' : 'already on disk'} at ${path}\n`);
}

/**
 * Makes a catalogue model present, reporting download progress on stderr. Used by `models pull` and
 * before any command given `--model <id>`, so every command shows the download it waits for.
 */
export async function pullWithProgress(id: string, args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<{ path: string; downloaded: boolean }> {
  const source = modelSource(args);
  let downloaded = false;
  const mirror = process.env[MODEL_MIRROR_ENV]?.trim();
  const resolved = await resolveModel(id, {
    bundledDir: source.bundledDir,
    storageDir: source.storageDir,
    mirror,
    signal,
    onProgress: (received, total) => {
      downloaded = true;
      const share = total ? ` (${Math.floor((100 * received) / total)}%)` : '';
      progress.update(`Downloading model ${id}${mirror ? ` from ${mirror}` : ''}: ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ''}${share}; Ctrl+C cancels`);
    },
  });
  progress.done(downloaded ? `Model ${id}: downloaded, checksum verified, stored.` : undefined);
  return { path: resolved.onnxPath, downloaded };
}

async function listCommand(args: ParsedArgs): Promise<void> {
  const source = modelSource(args);
  const models = await listModels({ bundledDir: source.bundledDir, storageDir: source.storageDir });
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ storageDir: source.storageDir, mirror: process.env[MODEL_MIRROR_ENV] || null, models }, null, 2) + '\n');
    return;
  }
  for (const model of models) process.stdout.write(describe(model));
  process.stdout.write(`Models are stored under ${source.storageDir}. Pull one with \`curator models pull <id>\`, or pass --model <id> to any command.\n`);
}

function describe(model: ModelListing): string {
  const status = model.kind === 'bundled' ? 'bundled' : model.onDisk ? 'on disk' : 'not downloaded';
  const { input } = model;
  const lines = [
    `${model.id}  ${formatBytes(model.size)}  ${status}  ${model.license}`,
    `  ${model.name}`,
    `  ${model.description}`,
    `  input ${input.name} ${input.layout} ${input.size.join('x')}, mean ${input.mean.join('/')}, std ${input.std.join('/')}; outputs ${model.outputs.join(', ')}`,
    `  quality (20-NN on CIFAR-10 dev): ${model.quality ? `${(100 * model.quality.knn20).toFixed(1)}% (${model.quality.measuredWith})` : 'not measured yet'}`,
  ];
  if (model.url) lines.push(`  sha256 ${model.sha256}`, `  ${model.url}`);
  if (model.exercised === false) lines.push('  (this file was not downloaded by the project\'s tests; its checksum is the publisher\'s)');
  return `${lines.join('\n')}\n\n`;
}
