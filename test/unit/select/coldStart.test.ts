// TypiClust, ProbCover and auto: their rules on small constructed pools (where the right answer is
// known), the edge cases, and k-means in both of its modes.
import assert from 'node:assert/strict';
import { AutoSelector, AUTO_RULE, chooseAutoMethod } from '../../../src/core/select/autoSelector';
import { cellDeltaBallGraph, deltaBallGraph, EXACT_GRAPH_ROWS, GraphTooLargeError, purityDelta, type DeltaBallGraph } from '../../../src/core/select/deltaBallGraph';
import { FULL_BATCH_ROWS, kMeans } from '../../../src/core/math/kMeans';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import { JsMatrixKernels } from '../../../src/core/select/kernels/jsKernels';
import { ProbCoverSelector } from '../../../src/core/select/probCoverSelector';
import { reducedSelectionSpace, selectionSpace, unitDistance } from '../../../src/core/select/selectionSpace';
import { typicalityInGroup } from '../../../src/core/select/typicality';
import { TYPICLUST_DIMS, TYPICLUST_WHITEN_SHRINKAGE, TypiClustSelector } from '../../../src/core/select/typiClustSelector';
import type { SelectionPool, VectorRows } from '../../../src/core/select/types';

const kernels = new JsMatrixKernels();

/** `perBlob` points around each of `blobs` far-apart centres in `width` dims; row i is in blob i % blobs. */
function blobs(perBlob: number, count: number, width: number, spread: number, seed: number): { rows: VectorRows; blob: Int32Array } {
  const random = new SeededRandom(seed);
  const centres = Array.from({ length: count }, (_, b) => Array.from({ length: width }, (_, k) => (k % count === b ? 10 : 0)));
  const n = perBlob * count;
  const data = new Float32Array(n * width);
  const blob = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    blob[i] = i % count;
    for (let k = 0; k < width; k++) data[i * width + k] = centres[blob[i]][k] + spread * random.normal();
  }
  return { rows: { data, rows: n, width }, blob };
}

/**
 * Six overlapping Gaussian groups of unequal size in 16 dims, so that a point's 20 nearest
 * neighbours in the pool often lie in a neighbouring group. `split` pushes groups 0-2 and 3-5
 * that far apart along one axis: that axis then dominates the spread and the space is whitened.
 */
function overlappingGroups(split: number, seed: number): VectorRows {
  const random = new SeededRandom(seed);
  const width = 16;
  const sizes = [120, 60, 30, 120, 60, 30];
  const data = new Float32Array(sizes.reduce((a, b) => a + b, 0) * width);
  let row = 0;
  sizes.forEach((size, g) => {
    for (let i = 0; i < size; i++, row++) {
      data[row * width] = g < 3 ? split : -split;
      for (let k = 1; k < width; k++) data[row * width + k] = (k === 1 + (g % 3) ? 2.5 : 0) + random.normal();
    }
  });
  return { data, rows: row, width };
}

/** For each of TypiClust's picks: the most typical candidate of its cluster with neighbours sought in the cluster, and in the whole pool. */
async function typicalInCluster(pool: SelectionPool, budget: number, seed: number): Promise<{ whitened: boolean; picks: number[]; inCluster: number[]; overPool: number[] }> {
  const space = await reducedSelectionSpace(pool, { dims: TYPICLUST_DIMS, whitenShrinkage: TYPICLUST_WHITEN_SHRINKAGE, kernels, seed });
  const { assignment } = await kMeans(space.rows, budget, { kernels, seed });
  const all = Array.from({ length: space.rows.rows }, (_, i) => i);
  const poolTypicality = await typicalityInGroup(space.rows, all, kernels, seed);
  const picks = (await new TypiClustSelector().select(pool, { budget, seed, kernels })).map((p) => p.index);
  const inCluster: number[] = [];
  const overPool: number[] = [];
  for (const pick of picks) {
    const cluster = assignment[pick];
    const members = all.filter((i) => assignment[i] === cluster);
    const clusterTypicality = await typicalityInGroup(space.rows, members, kernels, seed + cluster);
    const best = (score: (j: number) => number): number => members[members.reduce((b, _, j) => (score(j) > score(b) ? j : b), 0)];
    inCluster.push(best((j) => clusterTypicality[j]));
    overPool.push(best((j) => poolTypicality[members[j]]));
  }
  return { whitened: space.whitened, picks, inCluster, overPool };
}

function poolOf(rows: VectorRows, labelledRows: number[], labels: number[], classNames = ['a', 'b', 'c']): SelectionPool {
  const { width } = rows;
  const unlabelled = Array.from({ length: rows.rows }, (_, i) => i).filter((i) => !labelledRows.includes(i));
  const take = (indices: number[]): VectorRows => {
    const data = new Float32Array(indices.length * width);
    indices.forEach((r, i) => data.set(rows.data.subarray(r * width, (r + 1) * width), i * width));
    return { data, rows: indices.length, width };
  };
  return { unlabelled: take(unlabelled), labelled: take(labelledRows), labels: Int32Array.from(labels), classNames };
}

describe('cold-start selection: TypiClust, ProbCover, auto', function () {
  this.timeout(120_000);

  describe('k-means', () => {
    it('recovers well-separated blobs with full Lloyd iterations', async () => {
      const { rows, blob } = blobs(40, 4, 8, 0.3, 1);
      const space = selectionSpace({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: 8 }, labels: new Int32Array(0), classNames: [] });
      const result = await kMeans(space.rows, 4, { kernels, seed: 3 });
      assert.equal(result.miniBatch, false);
      for (let b = 0; b < 4; b++) {
        const clusters = new Set(Array.from(blob).flatMap((x, i) => (x === b ? [result.assignment[i]] : [])));
        assert.equal(clusters.size, 1, `blob ${b} is one cluster`);
      }
    });

    it('switches to mini-batches above FULL_BATCH_ROWS and still recovers the blobs', async () => {
      const perBlob = Math.ceil((FULL_BATCH_ROWS + 1000) / 3);
      const { rows, blob } = blobs(perBlob, 3, 4, 0.3, 2);
      const space = selectionSpace({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: 4 }, labels: new Int32Array(0), classNames: [] });
      const result = await kMeans(space.rows, 3, { kernels, seed: 5 });
      assert.equal(result.miniBatch, true);
      const agree = Array.from(blob).filter((b, i) => result.assignment[i] === result.assignment[b]).length;
      assert.ok(agree / blob.length > 0.99, `rows share their blob's cluster: ${agree} of ${blob.length}`);
    });

    it('caps the mini-batch draws on very large pools and still recovers the blobs', async () => {
      const { rows, blob } = blobs(80_000, 3, 4, 0.3, 3);
      const space = selectionSpace({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: 4 }, labels: new Int32Array(0), classNames: [] });
      const result = await kMeans(space.rows, 3, { kernels, seed: 5 });
      // 240,000 rows: two epochs would be 480,000 draws; the cap is 200,000 (2,048 per step).
      assert.equal(result.steps, Math.ceil(200_000 / 2048));
      const agree = Array.from(blob).filter((b, i) => result.assignment[i] === result.assignment[b]).length;
      assert.ok(agree / blob.length > 0.99, `rows share their blob's cluster: ${agree} of ${blob.length}`);
    });

    it('copes with fewer distinct rows than clusters', async () => {
      const data = new Float32Array(6 * 3);
      for (let i = 0; i < 6; i++) data.set(i < 3 ? [1, 0, 0] : [0, 1, 0], i * 3);
      const result = await kMeans({ data, rows: 6, width: 3 }, 5, { kernels, seed: 1 });
      assert.equal(result.assignment.length, 6);
      assert.notEqual(result.assignment[0], result.assignment[5]);
    });
  });

  describe('TypiClust', () => {
    it('takes the most typical point: the one nearest the middle of a blob', async () => {
      const { rows } = blobs(30, 1, 4, 1, 4);
      const members = Array.from({ length: rows.rows }, (_, i) => i);
      const space = selectionSpace({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: 4 }, labels: new Int32Array(0), classNames: [] });
      const typicality = await typicalityInGroup(space.rows, members, kernels, 1);
      const best = typicality.indexOf(Math.max(...typicality));
      const worst = typicality.indexOf(Math.min(...typicality));
      const distanceToMean = (i: number) => {
        let sum = 0;
        for (let k = 0; k < 4; k++) {
          let mean = 0;
          for (const m of members) mean += space.rows.data[m * 4 + k] / members.length;
          sum += (space.rows.data[i * 4 + k] - mean) ** 2;
        }
        return sum;
      };
      assert.ok(distanceToMean(best) < distanceToMean(worst), 'the most typical point is nearer the middle than the least typical');
    });

    it('seeks neighbours within the cluster in a whitened space, in the whole pool otherwise', async () => {
      const whitened = await typicalInCluster(poolOf(overlappingGroups(40, 3), [], []), 6, 1);
      assert.ok(whitened.whitened, 'one dominant axis: whitened');
      assert.deepEqual(whitened.picks, whitened.inCluster);
      assert.notDeepEqual(whitened.picks, whitened.overPool, 'the pool would have chosen otherwise in some cluster');
      const plain = await typicalInCluster(poolOf(overlappingGroups(0, 3), [], []), 6, 1);
      assert.ok(!plain.whitened, 'no dominant axis: not whitened');
      assert.deepEqual(plain.picks, plain.overPool);
      assert.notDeepEqual(plain.picks, plain.inCluster, 'the cluster would have chosen otherwise somewhere');
    });

    it('skips the clusters labelled images cover', async () => {
      const { rows, blob } = blobs(20, 3, 6, 0.2, 6);
      // Two labelled images in blob 0, one in blob 1: with budget 1 (4 clusters) the pick must be in blob 2.
      const labelledRows = [0, 3, 1];
      const pool = poolOf(rows, labelledRows, [0, 0, 1]);
      const unlabelledIds = Array.from({ length: rows.rows }, (_, i) => i).filter((i) => !labelledRows.includes(i));
      for (const seed of [1, 2, 3]) {
        const [pick] = await new TypiClustSelector().select(pool, { budget: 1, seed, kernels });
        assert.equal(blob[unlabelledIds[pick.index]], 2, `seed ${seed}: the uncovered blob`);
        assert.ok(pick.why.typicality > 0 && pick.why.clusterSize > 0);
      }
    });

    it('keeps picking when every cluster is covered: least covered, largest first', async () => {
      const { rows } = blobs(10, 3, 6, 0.2, 7);
      // Every blob holds labelled images; the budget exceeds the clusters left uncovered.
      const labelledRows = [0, 1, 2, 3, 4, 5];
      const pool = poolOf(rows, labelledRows, [0, 1, 2, 0, 1, 2]);
      const picks = await new TypiClustSelector().select(pool, { budget: 15, seed: 1, kernels });
      assert.equal(picks.length, 15);
      assert.equal(new Set(picks.map((p) => p.index)).size, 15);
    });

    it('handles tiny pools: one candidate, two identical candidates', async () => {
      const one = poolOf({ data: Float32Array.from([1, 2, 3]), rows: 1, width: 3 }, [], []);
      assert.deepEqual((await new TypiClustSelector().select(one, { budget: 5, seed: 1, kernels })).map((p) => p.index), [0]);
      const twins = poolOf({ data: Float32Array.from([1, 2, 3, 1, 2, 3]), rows: 2, width: 3 }, [], []);
      const picks = await new TypiClustSelector().select(twins, { budget: 2, seed: 1, kernels });
      assert.deepEqual(picks.map((p) => p.index).sort(), [0, 1]);
      for (const pick of picks) for (const v of Object.values(pick.why)) assert.ok(Number.isFinite(v));
    });
  });

  describe('ProbCover', () => {
    it('chooses delta by the purity rule: at least 95% of balls hold one pseudo-label', async () => {
      const { rows } = blobs(40, 3, 6, 1.5, 8);
      const space = selectionSpace({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: 6 }, labels: new Int32Array(0), classNames: [] });
      const { assignment } = await kMeans(space.rows, 3, { kernels, seed: 1 });
      const delta = await purityDelta(space.rows, assignment, kernels, 1);
      assert.ok(delta > 0);
      const n = space.rows.rows;
      const dotOf = (i: number, j: number) => {
        let s = 0;
        for (let k = 0; k < 6; k++) s += space.rows.data[i * 6 + k] * space.rows.data[j * 6 + k];
        return s;
      };
      let pure = 0;
      let pureJustAbove = 0;
      for (let i = 0; i < n; i++) {
        let ok = true;
        let okAbove = true;
        for (let j = 0; j < n; j++) {
          if (assignment[j] === assignment[i]) continue;
          const d = unitDistance(dotOf(i, j));
          if (d <= delta) ok = false;
          if (d <= delta * 1.2) okAbove = false;
        }
        if (ok) pure++;
        if (okAbove) pureJustAbove++;
      }
      assert.ok(pure / n >= 0.95, `purity at delta ${pure / n}`);
      assert.ok(pureJustAbove / n < 0.95 + 1 / n || delta >= 2, 'a clearly larger delta is no longer pure enough: delta is the largest');
    });

    it('builds a symmetric graph that holds each point itself', async () => {
      const { rows } = blobs(15, 2, 4, 0.5, 9);
      const space = selectionSpace({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: 4 }, labels: new Int32Array(0), classNames: [] });
      const graph = await deltaBallGraph(space.rows, 0.4, kernels);
      const edges = new Set<string>();
      for (let i = 0; i < space.rows.rows; i++) for (let e = graph.offsets[i]; e < graph.offsets[i + 1]; e++) edges.add(`${i}-${graph.neighbours[e]}`);
      for (let i = 0; i < space.rows.rows; i++) assert.ok(edges.has(`${i}-${i}`));
      for (const edge of edges) {
        const [a, b] = edge.split('-');
        assert.ok(edges.has(`${b}-${a}`), `${edge} has its reverse`);
      }
    });

    const edgeSet = (graph: DeltaBallGraph, n: number): Set<string> => {
      const edges = new Set<string>();
      for (let i = 0; i < n; i++) for (let e = graph.offsets[i]; e < graph.offsets[i + 1]; e++) edges.add(`${i}-${graph.neighbours[e]}`);
      return edges;
    };

    it('builds the large-pool graph from cells: symmetric, each point in its own ball, only true edges, most of them', async () => {
      const { rows } = blobs(100, 4, 6, 0.6, 12);
      const space = selectionSpace({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: 6 }, labels: new Int32Array(0), classNames: [] });
      const n = space.rows.rows;
      const exact = edgeSet(await deltaBallGraph(space.rows, 0.5, kernels), n);
      const graph = await cellDeltaBallGraph(space.rows, 0.5, kernels, { seed: 1, halvings: 0, cells: 20 });
      assert.equal(graph.delta, 0.5);
      const edges = edgeSet(graph, n);
      assert.equal(edges.size, graph.neighbours.length, 'no edge twice');
      for (let i = 0; i < n; i++) assert.ok(edges.has(`${i}-${i}`));
      for (const edge of edges) {
        const [a, b] = edge.split('-');
        assert.ok(edges.has(`${b}-${a}`), `${edge} has its reverse`);
        assert.ok(exact.has(edge), `${edge} is within delta`);
      }
      assert.ok(edges.size >= 0.9 * exact.size, `most edges found: ${edges.size} of ${exact.size}`);
    });

    it('gives the exact graph when every row is in one cell, over several product blocks', async () => {
      // 5,000 rows in one cell: its members split into column blocks of 4,096 and the queries into blocks.
      const { rows } = blobs(1250, 4, 4, 1, 15);
      const space = selectionSpace({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: 4 }, labels: new Int32Array(0), classNames: [] });
      const n = space.rows.rows;
      const exact = await deltaBallGraph(space.rows, 0.1, kernels);
      const graph = await cellDeltaBallGraph(space.rows, 0.1, kernels, { seed: 1, halvings: 0, cells: 1 });
      assert.equal(graph.neighbours.length, exact.neighbours.length);
      assert.deepEqual([...edgeSet(graph, n)].sort(), [...edgeSet(exact, n)].sort());
    });

    it('settles the halvings of delta in one pass: the same graph as halving and rebuilding until it fits', async () => {
      const { rows } = blobs(150, 3, 5, 0.8, 13);
      const space = selectionSpace({ unlabelled: rows, labelled: { data: new Float32Array(0), rows: 0, width: 5 }, labels: new Int32Array(0), classNames: [] });
      const n = space.rows.rows;
      const options = { seed: 3, cells: 12 };
      const full = await cellDeltaBallGraph(space.rows, 1.6, kernels, { ...options, halvings: 0, maxEdges: Infinity });
      // Bounds from "everything fits" down to "only the smallest radius fits", and one nothing fits.
      for (const maxEdges of [full.neighbours.length, Math.round(full.neighbours.length * 0.6), Math.round(full.neighbours.length * 0.2), 3 * n, 1.2 * n, n]) {
        let expected: DeltaBallGraph | undefined;
        let delta = 1.6;
        for (let halving = 0; halving <= 5 && !expected; halving++, delta /= 2) {
          try {
            expected = await cellDeltaBallGraph(space.rows, delta, kernels, { ...options, halvings: 0, maxEdges });
          } catch (error) {
            assert.ok(error instanceof GraphTooLargeError);
          }
        }
        if (!expected) {
          await assert.rejects(cellDeltaBallGraph(space.rows, 1.6, kernels, { ...options, halvings: 5, maxEdges }), GraphTooLargeError);
          continue;
        }
        // predictedExcess 0.2: predictions shrink the radius too far, and the second pass restores it.
        for (const predictedExcess of [undefined, 0.2]) {
          const graph = await cellDeltaBallGraph(space.rows, 1.6, kernels, { ...options, halvings: 5, maxEdges, predictedExcess });
          assert.equal(graph.delta, expected.delta, `bound ${maxEdges}`);
          assert.ok(graph.neighbours.length <= maxEdges);
          assert.deepEqual([...edgeSet(graph, n)].sort(), [...edgeSet(expected, n)].sort(), `bound ${maxEdges}: the same edges`);
        }
      }
    });

    it('covers a pool above EXACT_GRAPH_ROWS greedily through the cell graph', async () => {
      const perBlob = Math.ceil((EXACT_GRAPH_ROWS + 600) / 3);
      const { rows, blob } = blobs(perBlob, 3, 4, 0.3, 14);
      const labelledRows = [0];
      const pool = poolOf(rows, labelledRows, [0]);
      const unlabelledIds = Array.from({ length: rows.rows }, (_, i) => i).filter((i) => !labelledRows.includes(i));
      const picks = await new ProbCoverSelector().select(pool, { budget: 12, seed: 1, kernels });
      assert.equal(picks.length, 12);
      assert.equal(new Set(picks.map((p) => p.index)).size, 12);
      assert.ok(picks[0].why.delta > 0 && picks[0].why.newlyCovered > 1);
      assert.notEqual(blob[unlabelledIds[picks[0].index]], 0, 'the labelled blob is covered already');
      for (let i = 1; i < picks.length; i++) assert.ok(picks[i - 1].score >= picks[i].score, 'gains never grow (greedy coverage)');
      for (const pick of picks) assert.ok(pick.why.newlyCovered <= pick.why.ballSize);
      // Both uncovered blobs are reached.
      const reached = new Set(picks.filter((p) => p.score > 0).map((p) => blob[unlabelledIds[p.index]]));
      assert.ok(reached.has(1) && reached.has(2), `blobs reached: ${[...reached]}`);
    });

    it('picks in the blob labelled images leave uncovered, then fills at random once all is covered', async () => {
      const { rows, blob } = blobs(20, 3, 6, 0.2, 10);
      const labelledRows = [0, 1];
      const pool = poolOf(rows, labelledRows, [0, 1]);
      const unlabelledIds = Array.from({ length: rows.rows }, (_, i) => i).filter((i) => !labelledRows.includes(i));
      const picks = await new ProbCoverSelector().select(pool, { budget: 10, seed: 1, kernels });
      assert.equal(blob[unlabelledIds[picks[0].index]], 2);
      assert.ok(picks[0].why.newlyCovered > 1 && picks[0].why.delta > 0);
      assert.equal(picks.length, 10);
      for (let i = 1; i < picks.length; i++) assert.ok(picks[i - 1].score >= picks[i].score, 'gains never grow (greedy coverage)');
    });
  });

  describe('auto', () => {
    const width = 4;
    const emptyRows = { data: new Float32Array(0), rows: 0, width };
    const labelled = (count: number) => ({ data: new Float32Array(count * width), rows: count, width });

    it('picks label-free with no labels, one class, or few labels per class', () => {
      assert.equal(chooseAutoMethod({ labelled: emptyRows, labels: new Int32Array(0), classNames: [] }).method, AUTO_RULE.labelFree);
      assert.equal(chooseAutoMethod({ labelled: labelled(30), labels: new Int32Array(30), classNames: ['a'] }).method, AUTO_RULE.labelFree);
      const few = Math.max(2, 2 * AUTO_RULE.minLabelsPerClass - 2);
      const choice = chooseAutoMethod({ labelled: labelled(few), labels: Int32Array.from({ length: few }, (_, i) => i % 2), classNames: ['a', 'b'] });
      assert.equal(choice.method, AUTO_RULE.labelFree);
      assert.match(choice.reason, /per class/);
    });

    it('switches to the label-based method once every class has enough labels', () => {
      const many = 3 * AUTO_RULE.minLabelsPerClass;
      const choice = chooseAutoMethod({ labelled: labelled(many), labels: Int32Array.from({ length: many }, (_, i) => i % 3), classNames: ['a', 'b', 'c'] });
      assert.equal(choice.method, AUTO_RULE.withLabels);
      assert.match(choice.reason, /least sure/);
    });

    it('counts classes that have no labels yet against the average', () => {
      const many = 2 * AUTO_RULE.minLabelsPerClass;
      // Labels in two of four known classes: 2 x minLabelsPerClass / 4 per class is too few.
      const choice = chooseAutoMethod({ labelled: labelled(many), labels: Int32Array.from({ length: many }, (_, i) => i % 2), classNames: ['a', 'b', 'c', 'd'] });
      assert.equal(choice.method, AUTO_RULE.labelFree);
    });

    it('runs the chosen selector and remembers what it chose', async () => {
      const { rows } = blobs(10, 3, 6, 0.2, 11);
      const selector = new AutoSelector();
      const picks = await selector.select(poolOf(rows, [], []), { budget: 3, seed: 1, kernels });
      assert.equal(picks.length, 3);
      assert.equal(selector.lastChoice?.method, AUTO_RULE.labelFree);
    });
  });
});
