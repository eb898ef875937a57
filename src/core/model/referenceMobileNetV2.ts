// The ONNX Model Zoo's int8 ImageNet MobileNetV2 (mobilenetv2-12-int8.onnx) as an encoder: the
// published file outputs only ImageNet logits, so after its checksum is verified a graph edit
// exposes the pooled 1280-d vector (`embedding`) and the last 7x7 convolution map (`featureMap`).
import type { ModelDescriptor } from './descriptor';
import { exposeOutputs, type ExposedOutput } from './exposeOutputs';

export const MOBILENETV2_INT8_FILE_NAME = 'mobilenetv2-12-int8.onnx';
export const MOBILENETV2_INT8_SHA256 = '83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f';
export const MOBILENETV2_INT8_SIZE = 3_655_640;

/** Tensor names inside that exact file (checked by the edit: another file fails clearly). */
const EXPOSED: readonly ExposedOutput[] = [
  // QLinearGlobalAveragePool's uint8 output [N, 1280, 1, 1], dequantised and flattened.
  { name: 'embedding', tensor: '464_quantized', dequantize: { scale: '464_scale', zeroPoint: '464_zero_point' }, flatten: true, shape: [null, 1280] },
  // The last convolution's dequantised map, already in the graph (the classifier's reshape reads it).
  { name: 'featureMap', tensor: '627', shape: [null, 1280, 7, 7] },
];

export function exposeMobileNetV2Int8Outputs(published: Uint8Array): Uint8Array {
  return exposeOutputs(published, EXPOSED);
}

/** Descriptor for the edited file; `file` is where the caller stored it. */
export function mobileNetV2Int8Descriptor(file: string): ModelDescriptor {
  return {
    id: 'mobilenetv2-12-int8',
    name: 'MobileNetV2 (ImageNet, int8, ONNX Model Zoo)',
    file,
    input: { name: 'input', layout: 'NCHW', size: [224, 224], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    outputs: { embedding: 'embedding', featureMap: 'featureMap', featureMapLayout: 'NCHW' },
    description:
      'MobileNetV2 trained on ImageNet-1k (torchvision weights), quantised to int8 by the ONNX Model Zoo. ' +
      'The pooled 1280-d vector before the classifier is the embedding; the 7x7x1280 map is the feature map.',
    license: 'Apache-2.0 (ONNX Model Zoo); torchvision weights BSD-3-Clause',
  };
}
