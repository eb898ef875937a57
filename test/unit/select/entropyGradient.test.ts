// LPLgrad's closed-form gradient norms against central finite differences of the entropy.
import assert from 'node:assert/strict';
import { forwardSample, initialHead, MAIN_TENSORS, type ClassifierHead } from '../../../src/core/select/head/classifierHead';
import { entropyGradient } from '../../../src/core/select/head/entropyGradient';
import { SeededRandom } from '../../../src/core/math/seededRandom';

function entropyOf(head: ClassifierHead, x: Float32Array): number {
  const { probabilities, logProbabilities } = forwardSample(head, x, 0);
  return -probabilities.reduce((sum, p, c) => sum + p * logProbabilities[c], 0);
}

describe('entropyGradient (closed form)', () => {
  it('matches finite differences for every main-head tensor', () => {
    const random = new SeededRandom(12);
    const head = initialHead({ inputs: 5, hidden: 4, classes: 3, lossHidden: 2 }, random);
    for (const name of ['b1', 'b2'] as const) head[name].forEach((_, i) => (head[name][i] = 0.3 * random.normal()));
    const x = Float32Array.from({ length: 5 }, () => random.normal());
    const closed = entropyGradient(head, forwardSample(head, x, 0), Math.hypot(...x));
    const step = 1e-3;
    for (const name of MAIN_TENSORS) {
      const tensor = head[name];
      let normSq = 0;
      for (let i = 0; i < tensor.length; i++) {
        const saved = tensor[i];
        tensor[i] = saved + step;
        const up = entropyOf(head, x);
        tensor[i] = saved - step;
        const down = entropyOf(head, x);
        tensor[i] = saved;
        normSq += ((up - down) / (2 * step)) ** 2;
      }
      const numeric = Math.sqrt(normSq);
      const analytic = closed.norms[name as keyof typeof closed.norms];
      assert.ok(Math.abs(numeric - analytic) < 2e-3 * Math.max(1e-3, numeric) + 1e-5, `${name}: closed form ${analytic}, finite differences ${numeric}`);
      assert.ok(numeric > 1e-4, `${name} has a non-trivial gradient, so the check can fail`);
    }
    assert.ok(Math.abs(closed.total - (closed.norms.w1 + closed.norms.b1 + closed.norms.w2 + closed.norms.b2)) < 1e-12);
  });

  it('is zero for a certain prediction', () => {
    const head = initialHead({ inputs: 2, hidden: 2, classes: 2, lossHidden: 1 }, new SeededRandom(1));
    head.b2[0] = 100;
    const closed = entropyGradient(head, forwardSample(head, new Float32Array([0, 0]), 0), 0);
    assert.ok(closed.total < 1e-30 || closed.total < 1e-12);
  });
});
