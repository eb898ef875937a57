// The contract every selector keeps, checked on synthetic pools with both kernel implementations.
import assert from 'node:assert/strict';
import { JsMatrixKernels } from '../../../src/core/select/kernels/jsKernels';
import { selectorFor } from '../../../src/core/select/selectors';
import { SELECTION_METHODS, SelectionUnavailableError, type SelectionMethod, type SelectionPool } from '../../../src/core/select/types';
import { syntheticPool } from './syntheticPool';

const kernels = new JsMatrixKernels();
const LABEL_METHODS: SelectionMethod[] = ['lplgrad', 'entropy', 'margin', 'least-confidence'];

function run(method: SelectionMethod, pool: SelectionPool, budget: number, seed = 1) {
  return selectorFor(method).select(pool, { budget, seed, kernels });
}

describe('selectors: common contract', function () {
  this.timeout(60_000);
  const pool = syntheticPool({ unlabelled: 60, labelled: 12, classes: 3 });

  for (const method of SELECTION_METHODS) {
    describe(method, () => {
      it('returns budget distinct pool items, best first, with finite scores and reasons', async () => {
        const picks = await run(method, pool, 10);
        assert.equal(picks.length, 10);
        assert.equal(new Set(picks.map((p) => p.index)).size, 10, 'no item twice');
        for (const pick of picks) {
          assert.ok(Number.isInteger(pick.index) && pick.index >= 0 && pick.index < pool.unlabelled.rows, 'only unlabelled pool items');
          assert.ok(Number.isFinite(pick.score));
          for (const value of Object.values(pick.why)) assert.ok(Number.isFinite(value));
        }
        // FreeSel samples, random has no order, TypiClust (and auto, which runs it here) goes by cluster first.
        if (!['freesel', 'random', 'typiclust', 'auto'].includes(method)) {
          for (let i = 1; i < picks.length; i++) assert.ok(picks[i - 1].score >= picks[i].score, 'ranked by score');
        }
      });

      it('gives the same output for the same seed', async () => {
        assert.deepEqual(await run(method, pool, 8, 5), await run(method, pool, 8, 5));
      });

      it('returns the whole pool when the budget is larger', async () => {
        const picks = await run(method, pool, 1000);
        assert.deepEqual(picks.map((p) => p.index).sort((a, b) => a - b), Array.from({ length: pool.unlabelled.rows }, (_, i) => i));
      });

      it('returns nothing for an empty pool', async () => {
        const empty: SelectionPool = {
          ...pool,
          unlabelled: { data: new Float32Array(0), rows: 0, width: pool.unlabelled.width },
          unlabelledPatterns: { vectors: { data: new Float32Array(0), rows: 0, width: pool.unlabelled.width }, offsets: new Int32Array(1) },
        };
        assert.deepEqual(await run(method, empty, 5), []);
      });
    });
  }

  it('random and FreeSel change with the seed', async () => {
    for (const method of ['random', 'freesel'] as const) {
      const a = (await run(method, pool, 10, 1)).map((p) => p.index);
      const b = (await run(method, pool, 10, 2)).map((p) => p.index);
      assert.notDeepEqual(a, b, method);
    }
  });

  for (const method of LABEL_METHODS) {
    it(`${method} refuses a single labelled class and suggests TypiClust`, async () => {
      const oneClass: SelectionPool = { ...pool, labels: new Int32Array(pool.labels.length) };
      await assert.rejects(run(method, oneClass, 5), (error: Error) => error instanceof SelectionUnavailableError && /TypiClust/.test(error.message) && /2 classes/.test(error.message));
      const noLabels: SelectionPool = { ...pool, labelled: { data: new Float32Array(0), rows: 0, width: pool.labelled.width }, labels: new Int32Array(0) };
      await assert.rejects(run(method, noLabels, 5), /TypiClust/);
    });
  }

  it('label-free methods run with no labels at all', async () => {
    const noLabels: SelectionPool = { ...pool, labelled: { data: new Float32Array(0), rows: 0, width: pool.labelled.width }, labels: new Int32Array(0), labelledPatterns: undefined };
    for (const method of ['freesel', 'kcenter', 'random', 'typiclust', 'probcover', 'auto'] as const) assert.equal((await run(method, noLabels, 5)).length, 5, method);
  });

  it('FreeSel and k-center never pick an exact duplicate while distinct images remain', async () => {
    // Item 2i + 1 is a copy of item 2i.
    const width = pool.unlabelled.width;
    const base = syntheticPool({ unlabelled: 10, labelled: 0, classes: 3, seed: 11 });
    const data = new Float32Array(20 * width);
    const patternData = new Float32Array(40 * width);
    for (let i = 0; i < 10; i++) {
      for (const copy of [0, 1]) {
        data.set(base.unlabelled.data.subarray(i * width, (i + 1) * width), (2 * i + copy) * width);
        patternData.set(base.unlabelledPatterns!.vectors.data.subarray(2 * i * width, (2 * i + 2) * width), (4 * i + 2 * copy) * width);
      }
    }
    const duplicated: SelectionPool = {
      ...base,
      unlabelled: { data, rows: 20, width },
      unlabelledPatterns: { vectors: { data: patternData, rows: 40, width }, offsets: Int32Array.from({ length: 21 }, (_, i) => 2 * i) },
    };
    for (const method of ['freesel', 'kcenter'] as const) {
      for (const seed of [1, 2, 3]) {
        const picks = await run(method, duplicated, 10, seed);
        const originals = picks.map((p) => Math.floor(p.index / 2));
        assert.equal(new Set(originals).size, 10, `${method} seed ${seed}: one of each pair`);
      }
    }
  });
});
