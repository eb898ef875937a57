// A model descriptor tells the engine how to feed an ONNX file and which outputs to read.
// Every model the extension can use (the bundled default, a local file, a download) has one.

export type TensorLayout = 'NHWC' | 'NCHW';

export interface ModelDescriptor {
  /** Stable id; part of every cache key, so it must change whenever the weights change. */
  id: string;
  /** Human-readable name shown in summaries. */
  name: string;
  /** ONNX file, relative to the descriptor's folder (or absolute). */
  file: string;
  /** Expected SHA-256 (hex) of the ONNX file; checked before a downloaded model is used. */
  sha256?: string;
  input: {
    name: string;
    layout: TensorLayout;
    /** [height, width] the image is resized to. */
    size: [number, number];
    /** Per channel, RGB order: value = (pixel / 255 - mean[c]) / std[c]. */
    mean: [number, number, number];
    std: [number, number, number];
  };
  outputs: {
    /** Output holding the pooled global embedding, shape [N, D]. */
    embedding: string;
    /** Optional output holding local features (FreeSel's semantic patterns), shape [N, h, w, c] or [N, c, h, w]. */
    featureMap?: string;
    featureMapLayout?: TensorLayout;
  };
  /** Honest one-paragraph description: what the weights are and where they come from. */
  description?: string;
  license?: string;
}
