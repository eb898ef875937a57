// Models that ship inside the extension and the CLI, by the setting value that selects them.
// Each lives in <models folder>/<folder>/model.json beside its .onnx file; adding a second bundled
// encoder is one more line here (and its build step).
import { dirname, join } from 'node:path';
import { BENCH_ENCODERS_RUN } from './catalogue';

export interface BundledModel {
  /** Value of `curator.model` / `--model` that selects it. */
  setting: string;
  /** Folder under the bundled models folder (dist/models). */
  folder: string;
  /** One line for pickers and listings. */
  summary: string;
  /** Measured on the natural-image benchmark (bench/results/encoders.md), as in the catalogue. */
  quality?: { knn20: number; knn1?: number; measuredWith: string };
}

export const BUNDLED_MODELS: readonly BundledModel[] = [
  {
    setting: 'default',
    folder: 'default',
    summary: 'the bundled default encoder',
    quality: { knn20: 0.541, knn1: 0.462, measuredWith: BENCH_ENCODERS_RUN },
  },
];

/** The folder holding a bundled model's model.json: `defaultDir` is the default's, the others sit beside it. */
export function bundledModelFolder(model: BundledModel, defaultDir: string): string {
  return model.setting === 'default' ? defaultDir : join(dirname(defaultDir), model.folder);
}

export function findBundledModel(setting: string): BundledModel | undefined {
  return BUNDLED_MODELS.find((model) => model.setting === setting);
}
