// Keras padding semantics expressed as explicit ONNX pads.

export interface SpatialPadding {
  /** ONNX order for 2-D: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  outHeight: number;
  outWidth: number;
}

/**
 * 'valid' pads nothing. 'same' follows TensorFlow: output = ceil(input / stride), and when the
 * total padding is odd the extra row/column goes at the END (bottom/right). With stride 2 that is
 * asymmetric, which is why ONNX's symmetric reading of "same" must not be used.
 */
export function windowPadding(
  mode: string,
  inHeight: number,
  inWidth: number,
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number] = [1, 1],
): SpatialPadding {
  const axis = (size: number, index: 0 | 1): [number, number, number] => {
    const span = (kernel[index] - 1) * dilations[index] + 1;
    if (mode === 'valid') return [0, 0, Math.floor((size - span) / strides[index]) + 1];
    if (mode !== 'same') throw new Error(`Padding mode ${mode} is not supported`);
    const out = Math.ceil(size / strides[index]);
    const total = Math.max((out - 1) * strides[index] + span - size, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2), out];
  };
  const [top, bottom, outHeight] = axis(inHeight, 0);
  const [left, right, outWidth] = axis(inWidth, 1);
  if (outHeight < 1 || outWidth < 1) throw new Error(`Window ${kernel} does not fit a ${inHeight}x${inWidth} input`);
  return { pads: [top, left, bottom, right], outHeight, outWidth };
}

/** ZeroPadding2D accepts n, [h, w] or [[top, bottom], [left, right]]; returns [[top, bottom], [left, right]]. */
export function zeroPaddingAmounts(padding: unknown): [[number, number], [number, number]] {
  if (typeof padding === 'number') return [[padding, padding], [padding, padding]];
  if (Array.isArray(padding) && padding.length === 2) {
    const [h, w] = padding as unknown[];
    if (typeof h === 'number' && typeof w === 'number') return [[h, h], [w, w]];
    if (Array.isArray(h) && Array.isArray(w)) return [[h[0], h[1]], [w[0], w[1]]];
  }
  throw new Error(`ZeroPadding2D padding ${JSON.stringify(padding)} is not understood`);
}
