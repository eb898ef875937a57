// The small classifier LPLgrad and the uncertainty baselines train on frozen embeddings
// (METHODS.md section 2): a main head d -> h -> C with ReLU, and a loss-prediction module (LPM)
// that reads two levels of the main head (its input and its hidden layer; each: linear -> ReLU),
// concatenates them and predicts the per-sample loss with one more linear layer.
// Weights are row-major [in, out] so a batch forward pass is X . W + b.
import { SeededRandom } from '../../math/seededRandom';

export interface HeadShape {
  inputs: number;
  hidden: number;
  classes: number;
  /** Width of each LPM level. */
  lossHidden: number;
}

export interface ClassifierHead {
  shape: HeadShape;
  w1: Float32Array; // [inputs, hidden]
  b1: Float32Array; // [hidden]
  w2: Float32Array; // [hidden, classes]
  b2: Float32Array; // [classes]
  /** LPM level on the input. */
  v1: Float32Array; // [inputs, lossHidden]
  c1: Float32Array; // [lossHidden]
  /** LPM level on the hidden layer. */
  v2: Float32Array; // [hidden, lossHidden]
  c2: Float32Array; // [lossHidden]
  /** LPM output layer over the two concatenated levels. */
  u: Float32Array; // [2 * lossHidden]
  c0: Float32Array; // [1]
}

export type HeadTensorName = Exclude<keyof ClassifierHead, 'shape'>;
export const HEAD_TENSORS: readonly HeadTensorName[] = ['w1', 'b1', 'w2', 'b2', 'v1', 'c1', 'v2', 'c2', 'u', 'c0'];
/** The main model's parameters: what LPLgrad's gradient norm is taken over. */
export const MAIN_TENSORS: readonly HeadTensorName[] = ['w1', 'b1', 'w2', 'b2'];

/** He-normal weights, zero biases, from a seeded stream. */
export function initialHead(shape: HeadShape, random: SeededRandom): ClassifierHead {
  const he = (fanIn: number, count: number): Float32Array => {
    const scale = Math.sqrt(2 / fanIn);
    return Float32Array.from({ length: count }, () => random.normal() * scale);
  };
  const { inputs, hidden, classes, lossHidden } = shape;
  return {
    shape,
    w1: he(inputs, inputs * hidden),
    b1: new Float32Array(hidden),
    w2: he(hidden, hidden * classes),
    b2: new Float32Array(classes),
    v1: he(inputs, inputs * lossHidden),
    c1: new Float32Array(lossHidden),
    v2: he(hidden, hidden * lossHidden),
    c2: new Float32Array(lossHidden),
    u: he(2 * lossHidden, 2 * lossHidden),
    c0: new Float32Array(1),
  };
}

/** What one sample's forward pass produces, after its first-layer pre-activations are known. */
export interface SampleForward {
  /** Hidden pre-activation z1 and activation a1 = ReLU(z1). */
  z1: Float64Array;
  a1: Float64Array;
  /** log-softmax and softmax of the logits. */
  logProbabilities: Float64Array;
  probabilities: Float64Array;
  /** LPM levels after ReLU, concatenated [input level, hidden level]. */
  lossFeatures: Float64Array;
  predictedLoss: number;
}

/**
 * Finishes a forward pass given the input-side products z1 = x.W1 + b1 and y1 = x.V1 + c1 (these
 * are the expensive parts, computed in bulk by a matrix kernel for whole pools).
 */
export function forwardFromInputProducts(head: ClassifierHead, z1In: ArrayLike<number>, y1In: ArrayLike<number>): SampleForward {
  const { hidden, classes, lossHidden } = head.shape;
  const z1 = Float64Array.from(z1In);
  const a1 = z1.map((v) => (v > 0 ? v : 0));
  const logits = new Float64Array(classes);
  for (let c = 0; c < classes; c++) logits[c] = head.b2[c];
  for (let j = 0; j < hidden; j++) {
    const a = a1[j];
    if (a === 0) continue;
    for (let c = 0; c < classes; c++) logits[c] += a * head.w2[j * classes + c];
  }
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  const logNormaliser = max + Math.log(sum);
  const logProbabilities = logits.map((v) => v - logNormaliser);
  const probabilities = logProbabilities.map(Math.exp);

  const lossFeatures = new Float64Array(2 * lossHidden);
  for (let r = 0; r < lossHidden; r++) lossFeatures[r] = Math.max(0, y1In[r]);
  for (let r = 0; r < lossHidden; r++) {
    let v = head.c2[r];
    for (let j = 0; j < hidden; j++) v += a1[j] * head.v2[j * lossHidden + r];
    lossFeatures[lossHidden + r] = Math.max(0, v);
  }
  let predictedLoss = head.c0[0];
  for (let r = 0; r < 2 * lossHidden; r++) predictedLoss += lossFeatures[r] * head.u[r];
  return { z1, a1, logProbabilities, probabilities, lossFeatures, predictedLoss };
}

/** x.W + b for one sample (training batches are small; pools go through the matrix kernels). */
export function inputProduct(x: Float32Array, xStart: number, w: Float32Array, b: Float32Array, inputs: number, outputs: number): Float64Array {
  const out = Float64Array.from(b);
  for (let k = 0; k < inputs; k++) {
    const v = x[xStart + k];
    if (v === 0) continue;
    const row = k * outputs;
    for (let j = 0; j < outputs; j++) out[j] += v * w[row + j];
  }
  return out;
}

export function forwardSample(head: ClassifierHead, x: Float32Array, xStart: number): SampleForward {
  const { inputs, hidden, lossHidden } = head.shape;
  return forwardFromInputProducts(head, inputProduct(x, xStart, head.w1, head.b1, inputs, hidden), inputProduct(x, xStart, head.v1, head.c1, inputs, lossHidden));
}
