// Whitening in principal directions: equal spread per column, unit rows, and only for pools large
// enough to measure each direction's spread.
import assert from 'node:assert/strict';
import { effectiveRank, equaliseSpread } from '../../../src/core/math/equaliseSpread';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import { JsMatrixKernels } from '../../../src/core/select/kernels/jsKernels';
import { reducedSelectionSpace, WHITEN_ROWS_PER_DIRECTION } from '../../../src/core/select/selectionSpace';
import type { SelectionPool } from '../../../src/core/select/types';

function columnVariances(data: Float32Array, rows: number, width: number): number[] {
  return Array.from({ length: width }, (_, d) => {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += data[r * width + d] / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (data[r * width + d] - mean) ** 2 / (rows - 1);
    return v;
  });
}

describe('equaliseSpread', () => {
  it('brings a dominant direction down to the others and keeps rows unit length', () => {
    const random = new SeededRandom(3);
    const rows = 2000;
    const width = 6;
    const data = Float32Array.from({ length: rows * width }, (_, i) => (i % width === 0 ? 20 : 1) * random.normal());
    const out = equaliseSpread({ data, rows, width }, 0);
    const variances = columnVariances(out.data, rows, width);
    assert.ok(Math.max(...variances) / Math.min(...variances) < 1.5, `variances ${variances.map((v) => v.toFixed(3))}`);
    for (let r = 0; r < rows; r++) {
      let norm = 0;
      for (let d = 0; d < width; d++) norm += out.data[r * width + d] ** 2;
      assert.ok(Math.abs(norm - 1) < 1e-5);
    }
    // With shrinkage the dominant direction keeps more of its lead.
    const shrunk = columnVariances(equaliseSpread({ data, rows, width }, 3).data, rows, width);
    assert.ok(shrunk[0] / shrunk[1] > variances[0] / variances[1] + 0.5, `${shrunk[0] / shrunk[1]} vs ${variances[0] / variances[1]}`);
  });

  it('counts the directions the spread is shared among', () => {
    const random = new SeededRandom(5);
    const rows = 3000;
    const flat = Float32Array.from({ length: rows * 8 }, () => random.normal());
    const steep = Float32Array.from({ length: rows * 8 }, (_, i) => (i % 8 === 0 ? 30 : 1) * random.normal());
    assert.ok(Math.abs(effectiveRank({ data: flat, rows, width: 8 }) - 8) < 0.3);
    assert.ok(effectiveRank({ data: steep, rows, width: 8 }) < 1.1);
  });

  it('is applied by the selection space when a few directions dominate and the pool has enough rows per direction', async () => {
    const random = new SeededRandom(4);
    const width = 32;
    const dims = 16;
    const poolOf = (rows: number): SelectionPool => ({
      unlabelled: { data: Float32Array.from({ length: rows * width }, (_, i) => (i % width === 0 ? 10 : 1) * random.normal() + 3), rows, width },
      labelled: { data: new Float32Array(0), rows: 0, width },
      labels: new Int32Array(0),
      classNames: [],
    });
    const kernels = new JsMatrixKernels();
    const spreadRatio = async (rows: number): Promise<number> => {
      const space = await reducedSelectionSpace(poolOf(rows), { dims, whitenShrinkage: 0, kernels, seed: 1 });
      assert.equal(space.rows.width, dims);
      const v = columnVariances(space.rows.data, rows, dims);
      return Math.max(...v) / Math.min(...v);
    };
    const whitened = await spreadRatio(WHITEN_ROWS_PER_DIRECTION * dims);
    const projected = await spreadRatio(WHITEN_ROWS_PER_DIRECTION * dims - 1);
    // One row fewer than needed: projected only, the dominant direction keeps its lead.
    assert.ok(whitened * 3 < projected, `largest / smallest column variance: ${whitened} whitened, ${projected} projected only`);
  });
});
