// The losses' values by hand on small cases, and their gradients against finite differences.
import assert from 'node:assert/strict';
import { softmax } from '../../../src/core/math/probabilities';
import { crossEntropy, generalisedCrossEntropy, type SoftmaxLoss } from '../../../src/core/math/softmaxLosses';

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

  it('cross-entropy is -log p_y with gradient p - onehot(y)', () => {
    const loss = crossEntropy(Int32Array.from([2]));
    const logits = [0.1, 1.2, -0.4];
    const p = softmax(logits);
    const gradient = new Float64Array(3);
    assert.ok(Math.abs(loss(p, 0, gradient) + Math.log(p[2])) < 1e-12);
    numericGradient(loss, logits).forEach((g, j) => assert.ok(Math.abs(g - gradient[j]) < 1e-6));
  });
});
