// Models that ship inside the extension and the CLI, by the setting value that selects them.
// Each lives in <models folder>/<folder>/model.json beside its .onnx file; adding a second bundled
// encoder is one more line here (and its build step).

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

export function findBundledModel(setting: string): BundledModel | undefined {
  return BUNDLED_MODELS.find((model) => model.setting === setting);
}
