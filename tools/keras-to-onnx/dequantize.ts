// Turns the TF.js weight bytes into float32 arrays, one per weight, keyed by weight name.
import type { WeightSpec } from './keras-model';

export interface FloatTensor {
  shape: number[];
  values: Float32Array;
}

const storedBytesPerValue: Record<string, number> = { uint8: 1, uint16: 2, float32: 4 };

/**
 * TF.js stores the weights back to back in manifest order, without alignment padding.
 * Quantised weights use value = min + scale * stored (the formula TF.js itself uses when loading).
 */
export function dequantizeWeights(specs: WeightSpec[], data: Uint8Array): Map<string, FloatTensor> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const weights = new Map<string, FloatTensor>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new Error(`Weight ${spec.name}: dtype ${spec.dtype} is not supported`);
    const count = spec.shape.reduce((product, dim) => product * dim, 1);
    const storedDtype = spec.quantization?.dtype ?? 'float32';
    const width = storedBytesPerValue[storedDtype];
    if (width === undefined) throw new Error(`Weight ${spec.name}: quantisation ${storedDtype} is not supported`);
    if (offset + count * width > data.byteLength) throw new Error(`Weight ${spec.name} runs past the end of the weight data`);

    const values = new Float32Array(count);
    const min = spec.quantization?.min ?? 0;
    const scale = spec.quantization?.scale ?? 1;
    for (let i = 0; i < count; i++) {
      const at = offset + i * width;
      if (storedDtype === 'uint8') values[i] = min + scale * view.getUint8(at);
      else if (storedDtype === 'uint16') values[i] = min + scale * view.getUint16(at, true);
      else values[i] = view.getFloat32(at, true);
    }
    weights.set(spec.name, { shape: spec.shape, values });
    offset += count * width;
  }
  if (offset !== data.byteLength) throw new Error(`Weight data has ${data.byteLength - offset} bytes not described by the manifest`);
  return weights;
}
