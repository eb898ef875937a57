// nsfwjs's whole MobileNetV2 with the outputs its parity test with TF.js reads. It was the bundled
// encoder before the InceptionV3 layers replaced it (bundled-models.ts); it stays as the
// converter's test of depthwise convolutions, padding, ReLU6, residual adds and dense layers.
import { convertKerasToOnnx, type ConvertedModel, type OutputSpec } from './convert';
import { loadNsfwjsMobileNetV2, type NsfwjsModelFiles } from './nsfwjs-models';

/** Layers up to and including this one are ImageNet-pretrained and were frozen while nsfwjs fine-tuned the rest. */
export const LAST_IMAGENET_LAYER = 'block_10_project_BN';

export const MOBILENET_V2_OUTPUTS: OutputSpec[] = [
  { name: 'embedding', layer: 'out_relu', form: 'pooled' },
  { name: 'features_7x7', layer: 'out_relu', form: 'nhwc' },
  { name: 'features_14x14', layer: LAST_IMAGENET_LAYER, form: 'nhwc' },
  { name: 'embedding_imagenet', layer: LAST_IMAGENET_LAYER, form: 'pooled' },
  // nsfwjs's 5-class softmax; kept so the conversion can be checked end to end against TF.js.
  { name: 'probabilities', layer: 'dense_3', form: 'as-is' },
];

export function convertNsfwjsMobileNetV2(files?: NsfwjsModelFiles): ConvertedModel {
  return convertKerasToOnnx(loadNsfwjsMobileNetV2(files), {
    inputName: 'input',
    graphName: 'mobilenetv2_nsfwjs',
    docString:
      'MobileNetV2 (alpha 1.0, 224x224) from the nsfwjs npm package (MIT), converted from TF.js Keras layers. ' +
      'Input NHWC float32 RGB / 255.',
    outputs: MOBILENET_V2_OUTPUTS,
  });
}
