// Curator: Choose Embedding Model — a quick pick of the bundled models, the catalogue and a custom
// model (descriptor path or URL), each with its size, licence and whether it is on disk. The chosen
// model is made present first (downloaded with a cancellable progress notification, verified,
// stored once) and only then written to `curator.model`: a failed or cancelled pull leaves the
// model in use as it was.
import * as vscode from 'vscode';
import { EngineCallError } from '../../core/engine/engineClient';
import type { PullModelResult } from '../../core/engine/protocol';
import { formatBytes, listModels, type ModelListing } from '../../core/model/modelListing';
import { abortSignalFor, modelSource, type CommandContext } from '../commandContext';

interface ModelPick extends vscode.QuickPickItem {
  /** The `curator.model` value; undefined for the "custom model" row. */
  setting?: string;
}

export interface ChooseModelResult {
  setting: string;
  pulled: PullModelResult;
}

export async function chooseEmbeddingModelCommand(context: CommandContext): Promise<ChooseModelResult | undefined> {
  const current = context.settings().model;
  const source = modelSource(context);
  const models = await listModels({ bundledDir: source.bundledDir, storageDir: source.storageDir });
  const picked = await vscode.window.showQuickPick<ModelPick>(
    [
      { label: 'Bundled', kind: vscode.QuickPickItemKind.Separator },
      ...models.filter((m) => m.kind === 'bundled').map((m) => pickFor(m, current)),
      { label: 'Catalogue (downloaded once, then used offline)', kind: vscode.QuickPickItemKind.Separator },
      ...models.filter((m) => m.kind === 'catalogue').map((m) => pickFor(m, current)),
      { label: 'Custom', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(file) Custom model…', description: 'a model descriptor .json path or an https:// URL of one', detail: customDetail(current, models) },
    ],
    { title: 'Curator: Choose Embedding Model', placeHolder: `In use: ${current}. Pick the encoder every command embeds with.`, matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) return undefined;
  const setting = picked.setting ?? (await askForCustomModel(current));
  if (!setting) return undefined;

  const pulled = await pullWithProgress(context, setting);
  if (!pulled) return undefined;
  // Machine scope (see package.json): written to the user's settings, never to a workspace.
  await vscode.workspace.getConfiguration('curator').update('model', setting, vscode.ConfigurationTarget.Global);
  const note = pulled.downloaded ? ' (downloaded and verified)' : '';
  context.log.info(`Embedding model set to ${setting}${note}: ${pulled.name}, ${pulled.onnxPath}`);
  void vscode.window.showInformationMessage(
    `Curator: embedding model set to ${setting}${note}. Compute Embeddings embeds with it; caches of other models are kept.`,
  );
  return { setting, pulled };
}

function pickFor(model: ModelListing, current: string): ModelPick {
  const status = model.kind === 'bundled' ? 'bundled' : model.onDisk ? 'on disk' : 'not on disk';
  const inUse = model.id === current ? '$(check) ' : '';
  const quality = model.quality ? ` · 20-NN ${(100 * model.quality.knn20).toFixed(1)}%` : '';
  return {
    label: `${inUse}${model.id}`,
    description: `${formatBytes(model.size)} · ${status} · ${model.license}${quality}`,
    detail: model.name,
    setting: model.id,
  };
}

function customDetail(current: string, models: ModelListing[]): string | undefined {
  return models.some((m) => m.id === current) ? undefined : `In use: ${current}`;
}

async function askForCustomModel(current: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'Curator: Custom Embedding Model',
    prompt: 'Absolute path of a model descriptor .json (beside its .onnx file), or an https:// URL of a descriptor with a sha256. See the README, "Models".',
    value: current.endsWith('.json') ? current : '',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const value = text.trim();
      // The same rule as downloads: https anywhere, plain http only from this machine.
      if (/^https:\/\/./i.test(value) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(value)) return undefined;
      if ((value.startsWith('/') || /^[a-z]:[\\/]/i.test(value)) && value.toLowerCase().endsWith('.json')) return undefined;
      return 'An absolute path ending in .json, or an https:// URL (http:// only from this machine)';
    },
  });
  return value?.trim() || undefined;
}

/** Makes the model present in the engine, with a cancellable notification while bytes arrive. */
async function pullWithProgress(context: CommandContext, setting: string): Promise<PullModelResult | undefined> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Curator: Getting model ${setting}`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        return context.engine.call(
          'pullModel',
          { model: modelSource(context, setting) },
          {
            signal: abortSignalFor(token),
            onProgress: ({ received, total }) => {
              const percent = total > 0 ? (100 * received) / total : 0;
              progress.report({
                message: `downloading ${formatBytes(received)}${total > 0 ? ` of ${formatBytes(total)}` : ''}`,
                increment: Math.max(0, percent - reported),
              });
              reported = Math.max(reported, percent);
            },
          },
        );
      },
    );
  } catch (error) {
    const stays = `The embedding model stays ${context.settings().model}.`;
    if (error instanceof EngineCallError && error.cancelled) {
      context.log.info(`Model ${setting}: download cancelled; nothing was kept.`);
      void vscode.window.showInformationMessage(`Curator: download of ${setting} cancelled; nothing was kept. ${stays}`);
      return undefined;
    }
    const message = error instanceof Error ? error.message : String(error);
    context.log.warn(`Model ${setting} not set: ${message}`);
    void vscode.window.showErrorMessage(`Curator: ${message}. ${stays}`, 'Show Log').then((choice) => {
      if (choice === 'Show Log') context.log.show();
    });
    return undefined;
  }
}
