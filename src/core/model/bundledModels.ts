// Models that ship inside the extension and the CLI, by the setting value that selects them.
// Each lives in <models folder>/<folder>/model.json beside its .onnx file; adding a second bundled
// encoder is one more line here (and its build step).
import { dirname, join } from 'node:path';

export interface BundledModel {
  /** Value of `curator.model` / `--model` that selects it. */
  setting: string;
  /** Folder under the bundled models folder (dist/models). */
  folder: string;
  /** One line for pickers and listings. */
  summary: string;
}

export const BUNDLED_MODELS: readonly BundledModel[] = [
  { setting: 'default', folder: 'default', summary: 'the bundled default encoder' },
];

/** The folder holding a bundled model's model.json: `defaultDir` is the default's, the others sit beside it. */
export function bundledModelFolder(model: BundledModel, defaultDir: string): string {
  return model.setting === 'default' ? defaultDir : join(dirname(defaultDir), model.folder);
}

export function findBundledModel(setting: string): BundledModel | undefined {
  return BUNDLED_MODELS.find((model) => model.setting === setting);
}
