// The descriptor the engine reads beside the bundled model.onnx.
import { createHash } from 'node:crypto';
import type { ModelDescriptor } from '../../src/core/model/descriptor';
import { DEFAULT_MODEL_INPUT } from './default-model';

export const DEFAULT_MODEL_FILE = 'model.onnx';

export function defaultModelDescriptor(onnxBytes: Uint8Array): ModelDescriptor {
  const sha256 = createHash('sha256').update(onnxBytes).digest('hex');
  return {
    // The hash in the id makes every cache built with other weights invalid automatically.
    id: `mobilenetv2-nsfwjs-${sha256.slice(0, 12)}`,
    name: 'MobileNetV2 (nsfwjs weights)',
    file: DEFAULT_MODEL_FILE,
    sha256,
    input: { name: DEFAULT_MODEL_INPUT, layout: 'NHWC', size: [224, 224], mean: [0, 0, 0], std: [1, 1, 1] },
    outputs: { embedding: 'embedding', featureMap: 'features_7x7', featureMapLayout: 'NHWC' },
    description:
      'MobileNetV2 (width 1.0, 224x224 input) converted to ONNX from the TF.js model shipped in the nsfwjs npm package. ' +
      'Its layers up to block_10_project_BN are ImageNet-pretrained and were kept frozen; the blocks above, ' +
      'up to the 1280-channel out_relu, were fine-tuned by nsfwjs to drive a 5-class content classifier ' +
      '(Drawing, Hentai, Neutral, Porn, Sexy). It is a general-purpose but not a neutral image encoder: the top ' +
      'features lean towards what separates those classes. Weights were stored uint8-quantised by nsfwjs.',
    // nsfwjs publishes the weights under MIT; its layer names show the ImageNet base is Keras Applications' MobileNetV2.
    license: 'MIT (nsfwjs, Copyright (c) 2019 Infinite Red, Inc.); ImageNet base from Keras Applications MobileNetV2 (Apache-2.0)',
  };
}
