// LPLgrad's query score in closed form: the L2 norm of dH/dtheta for every parameter tensor of the
// main head, where H is the entropy of its prediction (METHODS.md section 2).
// For logits z: g = dH/dz = -p * (log p + H). For a linear layer z = a.W + b:
// ||dH/dW||_F = ||g|| * ||a|| and ||dH/db|| = ||g||. The hidden layer's terms come from
// back-propagating g through W2 and the ReLU mask.
import type { ClassifierHead, SampleForward } from './classifierHead';

export interface EntropyGradient {
  entropy: number;
  /** ||dH/dW1||, ||dH/db1||, ||dH/dW2||, ||dH/db2||. */
  norms: { w1: number; b1: number; w2: number; b2: number };
  /** Sum of the four norms: LPLgrad's score. */
  total: number;
}

export function entropyGradient(head: ClassifierHead, forward: SampleForward, inputNorm: number): EntropyGradient {
  const { hidden, classes } = head.shape;
  const { probabilities: p, logProbabilities: logP, a1, z1 } = forward;
  let entropy = 0;
  for (let c = 0; c < classes; c++) entropy -= p[c] * logP[c];
  const g = new Float64Array(classes);
  let gNormSq = 0;
  for (let c = 0; c < classes; c++) {
    g[c] = -p[c] * (logP[c] + entropy);
    gNormSq += g[c] * g[c];
  }
  let a1NormSq = 0;
  let dz1NormSq = 0;
  for (let j = 0; j < hidden; j++) {
    a1NormSq += a1[j] * a1[j];
    if (z1[j] <= 0) continue;
    let da = 0;
    for (let c = 0; c < classes; c++) da += head.w2[j * classes + c] * g[c];
    dz1NormSq += da * da;
  }
  const gNorm = Math.sqrt(gNormSq);
  const dz1Norm = Math.sqrt(dz1NormSq);
  const norms = { w1: dz1Norm * inputNorm, b1: dz1Norm, w2: gNorm * Math.sqrt(a1NormSq), b2: gNorm };
  return { entropy, norms, total: norms.w1 + norms.b1 + norms.w2 + norms.b2 };
}
