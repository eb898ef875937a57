// The model catalogue: published ONNX image encoders a user with internet (or a company mirror)
// can pull by id: `curator models pull <id>`, `--model <id>`, `curator.model: "<id>"`.
// Every checksum and size here is the publisher's own record: the git LFS pointer of the file in
// its hosting repository (`oid sha256:...`, `size ...`). A pulled file is verified against it
// before anything reads it, then a graph edit exposes the pooled vector the published classifier
// computes but does not output (see catalogueEdits.ts).
import type { TensorLayout } from './descriptor';

/** How the published graph is edited after verification to expose `embedding` (and `featureMap`). */
export type CatalogueGraphEdit =
  /** The zoo's int8 MobileNetV2: fixed tensor names (referenceMobileNetV2.ts). */
  | { kind: 'mobilenetv2-int8' }
  /**
   * A float classifier ending in GlobalAveragePool -> ... -> Gemm: expose the Gemm's input as
   * `embedding` and the pooling's input as `featureMap`, and free the batch dimension (these
   * exports declare a batch of 1 but contain no shape-dependent node).
   */
  | { kind: 'classifier-head'; embeddingSize: number; featureMapChannels: number; featureMapSide: number };

export interface CatalogueEntry {
  /** Setting value and model id (part of every cache key). */
  id: string;
  name: string;
  /** What the weights are, what they were trained on, and how they became this ONNX file. */
  description: string;
  /** Licence of the file and of the weights it holds. */
  license: string;
  /** The publisher's page for the file (where its LFS pointer can be read). */
  sourceUrl: string;
  /** Where the file is downloaded from; its last segment is `fileName`. */
  url: string;
  /** File name on a mirror: `<mirror>/<fileName>`. */
  fileName: string;
  /** The publisher's SHA-256 of the file (git LFS pointer). */
  sha256: string;
  /** The publisher's size of the file in bytes (git LFS pointer). */
  size: number;
  input: {
    /** Name of the graph input. */
    name: string;
    layout: TensorLayout;
    size: [number, number];
    mean: [number, number, number];
    std: [number, number, number];
  };
  /** Outputs after the graph edit, for listings: name and shape with N for the batch. */
  outputs: { embedding: string; featureMap?: string };
  edit: CatalogueGraphEdit;
  /**
   * Whether this entry's file was downloaded, verified, edited and run by this project's tests.
   * Entries that were not are listed honestly as such (`curator models` says so).
   */
  exercised: boolean;
  /**
   * Measured quality on the natural-image benchmark (`npm run bench:encoders`), when measured:
   * cosine 20-NN accuracy on ../shared/data/cifar10-dev with every pool label known, 0-1.
   */
  quality?: { knn20: number; knn1?: number; measuredWith: string };
}

/** Where the quality figures come from (bench/results/encoders.md). */
export const BENCH_ENCODERS_RUN = 'npm run bench:encoders, CIFAR-10 dev set (5,000 pool, 1,000 test), 2026-12-04';

const IMAGENET_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_STD: [number, number, number] = [0.229, 0.224, 0.225];
const ZOO = 'https://github.com/onnx/models';

/** A Computer_Vision export of the ONNX Model Zoo (turnkeyml, opset 17, input `x` [1,3,224,224]). */
function zooExport(folder: string, fileName: string): Pick<CatalogueEntry, 'sourceUrl' | 'url' | 'fileName'> {
  return {
    sourceUrl: `${ZOO}/tree/main/Computer_Vision/${folder}`,
    url: `${ZOO}/raw/main/Computer_Vision/${folder}/${fileName}`,
    fileName,
  };
}

export const MODEL_CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'mobilenetv2-12-int8',
    name: 'MobileNetV2 (ImageNet, int8, ONNX Model Zoo)',
    description:
      'MobileNetV2 trained on ImageNet-1k (torchvision weights), quantised to int8 by the ONNX Model Zoo. ' +
      'The pooled 1280-d vector before the classifier is the embedding; the 7x7x1280 map is the feature map.',
    license: 'Apache-2.0 (ONNX Model Zoo); torchvision weights BSD-3-Clause',
    sourceUrl: `${ZOO}/tree/main/validated/vision/classification/mobilenet`,
    url: `${ZOO}/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-12-int8.onnx`,
    fileName: 'mobilenetv2-12-int8.onnx',
    sha256: '83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f',
    size: 3_655_640,
    input: { name: 'input', layout: 'NCHW', size: [224, 224], mean: IMAGENET_MEAN, std: IMAGENET_STD },
    outputs: { embedding: 'embedding [N,1280]', featureMap: 'featureMap [N,1280,7,7]' },
    edit: { kind: 'mobilenetv2-int8' },
    exercised: true,
    quality: { knn20: 0.63, knn1: 0.563, measuredWith: BENCH_ENCODERS_RUN },
  },
  {
    id: 'resnet50-torchvision',
    name: 'ResNet-50 (ImageNet, torchvision, ONNX Model Zoo export)',
    description:
      'ResNet-50 trained on ImageNet-1k: torchvision 0.16 weights loaded through torch.hub and exported to ONNX ' +
      '(opset 17, float32, 25.6 M parameters) by the ONNX Model Zoo\'s turnkeyml pipeline. The pooled 2048-d vector ' +
      'before the classifier is the embedding; the last 7x7x2048 map is the feature map.',
    license: 'Apache-2.0 (ONNX Model Zoo); torchvision weights BSD-3-Clause',
    ...zooExport('resnet50_Opset17_torch_hub', 'resnet50_Opset17.onnx'),
    sha256: 'eb6eabe74f278fb55336e49e639b2367dda69f6f3b0d86dea7ffa9d55e6a0939',
    size: 102_146_338,
    input: { name: 'x', layout: 'NCHW', size: [224, 224], mean: IMAGENET_MEAN, std: IMAGENET_STD },
    outputs: { embedding: 'embedding [N,2048]', featureMap: 'featureMap [N,2048,7,7]' },
    edit: { kind: 'classifier-head', embeddingSize: 2048, featureMapChannels: 2048, featureMapSide: 7 },
    exercised: false,
  },
  {
    id: 'convnext-tiny-torchvision',
    name: 'ConvNeXt-Tiny (ImageNet, torchvision, ONNX Model Zoo export)',
    description:
      'ConvNeXt-Tiny trained on ImageNet-1k: torchvision 0.16 weights loaded through torch.hub and exported to ONNX ' +
      '(opset 17, float32, 28.6 M parameters) by the ONNX Model Zoo\'s turnkeyml pipeline. The layer-normalised pooled ' +
      '768-d vector the classifier reads is the embedding; the last 7x7x768 map is the feature map.',
    license: 'Apache-2.0 (ONNX Model Zoo); torchvision weights BSD-3-Clause',
    ...zooExport('convnext_tiny_Opset17_torch_hub', 'convnext_tiny_Opset17.onnx'),
    sha256: '66ce90ae0aaba2d7df6fac5354a26f58fba8a4e4e104d1404491ffdcfddbb8b1',
    size: 114_441_019,
    input: { name: 'x', layout: 'NCHW', size: [224, 224], mean: IMAGENET_MEAN, std: IMAGENET_STD },
    outputs: { embedding: 'embedding [N,768]', featureMap: 'featureMap [N,768,7,7]' },
    edit: { kind: 'classifier-head', embeddingSize: 768, featureMapChannels: 768, featureMapSide: 7 },
    exercised: false,
  },
  {
    id: 'convnext-small-torchvision',
    name: 'ConvNeXt-Small (ImageNet, torchvision, ONNX Model Zoo export)',
    description:
      'ConvNeXt-Small trained on ImageNet-1k: torchvision 0.16 weights loaded through torch.hub and exported to ONNX ' +
      '(opset 17, float32, 50.2 M parameters) by the ONNX Model Zoo\'s turnkeyml pipeline. The layer-normalised pooled ' +
      '768-d vector the classifier reads is the embedding; the last 7x7x768 map is the feature map.',
    license: 'Apache-2.0 (ONNX Model Zoo); torchvision weights BSD-3-Clause',
    ...zooExport('convnext_small_Opset17_torch_hub', 'convnext_small_Opset17.onnx'),
    sha256: '0977ecd4ff80f2d64b83f36559c97814efd057bbbb878f182ce6667ed8f686e6',
    size: 201_059_632,
    input: { name: 'x', layout: 'NCHW', size: [224, 224], mean: IMAGENET_MEAN, std: IMAGENET_STD },
    outputs: { embedding: 'embedding [N,768]', featureMap: 'featureMap [N,768,7,7]' },
    edit: { kind: 'classifier-head', embeddingSize: 768, featureMapChannels: 768, featureMapSide: 7 },
    exercised: false,
  },
  {
    id: 'convnext-base-in22k-timm',
    name: 'ConvNeXt-Base (ImageNet-22k, fine-tuned on ImageNet-1k, timm, ONNX Model Zoo export)',
    description:
      'ConvNeXt-Base pretrained on ImageNet-22k (14 M images, 21,841 classes) and fine-tuned on ImageNet-1k: ' +
      'timm 0.9.8 weights (convnext_base_in22ft1k) exported to ONNX (opset 17, float32, 88.6 M parameters) by the ' +
      'ONNX Model Zoo\'s turnkeyml pipeline. The layer-normalised pooled 1024-d vector the classifier reads is the ' +
      'embedding; the last 7x7x1024 map is the feature map.',
    license: 'Apache-2.0 (ONNX Model Zoo, timm); ConvNeXt weights MIT (facebookresearch/ConvNeXt)',
    ...zooExport('convnext_base_in22ft1k_Opset17_timm', 'convnext_base_in22ft1k_Opset17.onnx'),
    sha256: '4cb02f139e785482592f1a6862c097bf07cc0c78734a45a862031f51d60772a8',
    size: 354_517_393,
    input: { name: 'x', layout: 'NCHW', size: [224, 224], mean: IMAGENET_MEAN, std: IMAGENET_STD },
    outputs: { embedding: 'embedding [N,1024]', featureMap: 'featureMap [N,1024,7,7]' },
    edit: { kind: 'classifier-head', embeddingSize: 1024, featureMapChannels: 1024, featureMapSide: 7 },
    exercised: false,
  },
];

export function findCatalogueEntry(id: string, catalogue: readonly CatalogueEntry[] = MODEL_CATALOGUE): CatalogueEntry | undefined {
  return catalogue.find((entry) => entry.id === id);
}

/** Whether a setting names a catalogue entry rather than a path or URL (ids hold no "/" and no ".json"). */
export function looksLikeModelId(setting: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(setting) && !setting.toLowerCase().endsWith('.json');
}
