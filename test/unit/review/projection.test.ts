import assert from 'node:assert/strict';
import { fitPca2, normaliseToUnitSquare, projectRows } from '../../../src/core/review/projection';

/** Points spread mostly along (1, 1, 0, 0), less along (0, 0, 1, 0), with a little noise elsewhere. */
function syntheticRows(count: number): Float32Array {
  const rows = new Float32Array(count * 4);
  let state = 7;
  const noise = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.01;
  for (let i = 0; i < count; i++) {
    const t = (i / count - 0.5) * 10;
    const s = Math.sin(i) * 2;
    rows.set([5 + t + noise(), 3 + t + noise(), -1 + s + noise(), 2 + noise()], i * 4);
  }
  return rows;
}

describe('embedding map projection', () => {
  it('finds the leading axes of the data', () => {
    const pca = fitPca2(syntheticRows(500), 4);
    const [first, second] = pca.axes;
    assert.ok(Math.abs(Math.abs(first[0]) - Math.SQRT1_2) < 1e-3 && Math.abs(Math.abs(first[1]) - Math.SQRT1_2) < 1e-3, `first axis ${[...first]}`);
    assert.ok(Math.abs(Math.abs(second[2]) - 1) < 1e-3, `second axis ${[...second]}`);
    assert.ok(pca.explained[0] > pca.explained[1] && pca.explained[0] + pca.explained[1] > 0.99);
  });

  it('is deterministic: the same rows give the same map, bit for bit', () => {
    const rows = syntheticRows(300);
    const a = projectRows(rows, 4, fitPca2(rows, 4));
    const b = projectRows(rows, 4, fitPca2(rows, 4));
    assert.deepEqual([...a], [...b]);
    const { xs, ys } = normaliseToUnitSquare(a);
    assert.ok(xs.every((x) => x >= 0 && x <= 1) && ys.every((y) => y >= 0 && y <= 1));
    assert.equal(Math.min(...xs), 0);
    assert.equal(Math.max(...xs), 1);
  });

  it('copes with no rows and constant rows', () => {
    assert.deepEqual(normaliseToUnitSquare(projectRows(new Float32Array(0), 4, fitPca2(new Float32Array(0), 4))), { xs: [], ys: [] });
    const constant = new Float32Array(12).fill(3);
    assert.deepEqual(normaliseToUnitSquare(projectRows(constant, 4, fitPca2(constant, 4))), { xs: [0.5, 0.5, 0.5], ys: [0.5, 0.5, 0.5] });
  });
});
