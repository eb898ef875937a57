// The parts of a TF.js Keras-layers model (model.json) that the converter reads.
// Only the functional-model form is described: a flat layer list whose edges are `inbound_nodes`.

/** One entry of a TF.js weights manifest group. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  /** Present when the stored bytes are quantised: value = min + scale * stored. */
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number };
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** A layer as Keras serialises it. `config` keys differ per class, so they stay loosely typed. */
export interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  /** [call][input] = [layerName, nodeIndex, tensorIndex, kwargs]. */
  inbound_nodes: Array<Array<[string, number, number, Record<string, unknown>?]>>;
}

export interface KerasModelTopology {
  keras_version?: string;
  backend?: string;
  model_config: {
    class_name: string;
    config: {
      name: string;
      layers: KerasLayer[];
      input_layers: Array<[string, number, number]>;
      output_layers: Array<[string, number, number]>;
    };
  };
}

/** Everything needed to rebuild the model: topology, weight specs and the concatenated weight bytes. */
export interface KerasModelArtifacts {
  modelTopology: KerasModelTopology;
  weightSpecs: WeightSpec[];
  weightData: Uint8Array;
}

/** Names of the layers feeding `layer`. Shared layers (called more than once) are not supported. */
export function inboundLayerNames(layer: KerasLayer): string[] {
  if (layer.inbound_nodes.length === 0) return [];
  if (layer.inbound_nodes.length > 1) {
    throw new Error(`Layer ${layer.name} is called ${layer.inbound_nodes.length} times; shared layers are not supported`);
  }
  return layer.inbound_nodes[0].map(([name, , tensorIndex]) => {
    if (tensorIndex !== 0) throw new Error(`Layer ${layer.name} reads output ${tensorIndex} of ${name}; only single-output layers are supported`);
    return name;
  });
}

/** Reads a config entry that must be present, so a malformed topology fails loudly instead of silently. */
export function configValue<T>(layer: KerasLayer, key: string): T {
  const value = layer.config[key];
  if (value === undefined) throw new Error(`Layer ${layer.name} (${layer.class_name}) has no config.${key}`);
  return value as T;
}
