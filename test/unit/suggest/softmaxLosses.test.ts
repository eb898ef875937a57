// The losses' values by hand on small cases, and their gradients against finite differences.
import assert from 'node:assert/strict';
import { softmax } from '../../../src/core/math/probabilities';
import { candidateSetGce, crossEntropy, generalisedCrossEntropy, softTargetCrossEntropy, type SoftmaxLoss } from '../../../src/core/math/softmaxLosses';

function numericGradient(loss: SoftmaxLoss, logits: number[]): number[] {
  const h = 1e-6;
  return logits.map((_, j) => {
    const up = [...logits];
    const down = [...logits];
    up[j] += h;
    down[j] -= h;
    const scratch = new Float64Array(logits.length);
    return (loss(softmax(up), 0, scratch) - loss(softmax(down), 0, scratch)) / (2 * h);
  });
}

describe('softmax losses', () => {
  it('generalised CE on a two-hot target equals sum_k t_k (1 - p_k^q) / q', () => {
    // Logits chosen so that p = (1/2, 1/4, 1/4): ln 2, 0, 0.
    const p = softmax([Math.log(2), 0, 0]);
    assert.ok(Math.abs(p[0] - 0.5) < 1e-12 && Math.abs(p[1] - 0.25) < 1e-12);
    const targets = Float64Array.from([0.5, 0.5, 0]);
    const q = 0.5;
    // 0.5 * (1 - sqrt(1/2)) / 0.5 + 0.5 * (1 - sqrt(1/4)) / 0.5 = (1 - 0.70711) + (1 - 0.5)
    const expected = 1 - Math.SQRT1_2 + 0.5;
    const loss = generalisedCrossEntropy(targets, 3, q)(p, 0, new Float64Array(3));
    assert.ok(Math.abs(loss - expected) < 1e-12, `${loss} vs ${expected}`);
  });

  it('generalised CE gradients match finite differences, and a sample outside the candidates is pulled towards them', () => {
    const targets = Float64Array.from([0, 0.5, 0.5, 0]);
    const loss = generalisedCrossEntropy(targets, 4, 0.7);
    const logits = [2, -1, 0.3, 0.5];
    const gradient = new Float64Array(4);
    loss(softmax(logits), 0, gradient);
    numericGradient(loss, logits).forEach((g, j) => assert.ok(Math.abs(g - gradient[j]) < 1e-6, `class ${j}: ${gradient[j]} vs ${g}`));
    // Gradient descent lowers the non-candidates' logits and raises the candidates'.
    assert.ok(gradient[0] > 0 && gradient[3] > 0 && gradient[1] < 0 && gradient[2] < 0);
  });

  it('candidate-set GCE scores the mass of the set: (1 - (p_a + p_b)^q) / q', () => {
    // p = (1/2, 1/4, 1/4) with candidates {0, 1}: P = 3/4, q = 0.5 -> (1 - sqrt(3/4)) / 0.5.
    const p = softmax([Math.log(2), 0, 0]);
    const loss = candidateSetGce(Uint8Array.from([1, 1, 0]), 3, 0.5)(p, 0, new Float64Array(3));
    const expected = (1 - Math.sqrt(0.75)) / 0.5;
    assert.ok(Math.abs(loss - expected) < 1e-12, `${loss} vs ${expected}`);
  });

  it('candidate-set GCE gradients match finite differences and do not push towards a 50/50 split', () => {
    const candidates = Uint8Array.from([0, 1, 1, 0]);
    const loss = candidateSetGce(candidates, 4, 0.7);
    const logits = [2, -1, 0.3, 0.5];
    const gradient = new Float64Array(4);
    loss(softmax(logits), 0, gradient);
    numericGradient(loss, logits).forEach((g, j) => assert.ok(Math.abs(g - gradient[j]) < 1e-6, `class ${j}: ${gradient[j]} vs ${g}`));
    assert.ok(gradient[0] > 0 && gradient[3] > 0 && gradient[1] < 0 && gradient[2] < 0);

    // All mass inside the set (0.9 / 0.1) is already optimal: no gradient, where two-hot GCE
    // would still move the split towards 1/2 each.
    const decided = softmax([-30, Math.log(9), 0, -30]);
    const setGradient = new Float64Array(4);
    assert.ok(candidateSetGce(candidates, 4, 0.7)(decided, 0, setGradient) < 1e-9);
    assert.ok(setGradient.every((g) => Math.abs(g) < 1e-9), `${setGradient}`);
    const twoHotGradient = new Float64Array(4);
    generalisedCrossEntropy(Float64Array.from([0, 0.5, 0.5, 0]), 4, 0.7)(decided, 0, twoHotGradient);
    assert.ok(twoHotGradient[2] < -0.01 && twoHotGradient[1] > 0.01, `two-hot GCE still evens out the pair: ${twoHotGradient}`);
  });

  it('cross-entropy is -log p_y with gradient p - onehot(y)', () => {
    const loss = crossEntropy(Int32Array.from([2]));
    const logits = [0.1, 1.2, -0.4];
    const p = softmax(logits);
    const gradient = new Float64Array(3);
    assert.ok(Math.abs(loss(p, 0, gradient) + Math.log(p[2])) < 1e-12);
    numericGradient(loss, logits).forEach((g, j) => assert.ok(Math.abs(g - gradient[j]) < 1e-6));
  });

  it('soft-target cross-entropy is -sum_k t_k log p_k with gradient p - t', () => {
    const targets = Float64Array.from([0, 0.5, 0.5]);
    const loss = softTargetCrossEntropy(targets, 3);
    const logits = [0.7, -0.2, 0.4];
    const p = softmax(logits);
    const gradient = new Float64Array(3);
    assert.ok(Math.abs(loss(p, 0, gradient) + 0.5 * Math.log(p[1]) + 0.5 * Math.log(p[2])) < 1e-12);
    numericGradient(loss, logits).forEach((g, j) => assert.ok(Math.abs(g - gradient[j]) < 1e-6, `class ${j}: ${gradient[j]} vs ${g}`));
  });
});
