// SLR pseudo-label refinement across clustering rounds (METHODS.md section 3). Each round
// clusters the embeddings afresh (k-means: hard labels y_t), then, when an earlier round exists:
// projects the previous round's clusters onto the new ones by IoU (P), mixes
// y~ = alpha * onehot(y_t) + (1 - alpha) * onehot(y_{t-1}) P, clusters the soft labels with
// average linkage (cosine) back to k groups, and gives each group the id of the previous cluster
// it overlaps most, so ids stay put when the data barely changed. y_{t-1} is the previous round's
// refined, stable labelling: that is what the user saw and labelled by.
import { sphericalKMeans } from '../math/sphericalKMeans';
import { centredUnitRows, columnMean, type VectorRows } from '../math/vectorRows';
import { averageLinkage, cosineDistance } from './averageLinkage';
import { iouProjection, mixedSoftLabel } from './iouProjection';

export const DEFAULT_ALPHA = 0.5;

/** The part of a round the next round needs: which image (by content hash) got which stable id. */
export interface RoundAssignment {
  keys: string[];
  ids: Int32Array;
}

export interface ClusterSummary {
  id: number;
  size: number;
  /** Of the members already present last round, the fraction that had this id then (null: no history). */
  stability: number | null;
  /** Mean cosine similarity of the members' soft labels to the cluster's mean soft label (1 = all alike). */
  consistency: number;
  /** Mean cosine similarity of the members' (centred) embeddings to their mean direction: how alike the images look. */
  cohesion: number;
}

export interface RefinedRound extends RoundAssignment {
  /** This round's plain k-means labels, before refinement. */
  rawAssignment: Int32Array;
  /** Per image: cosine similarity of its soft label to its cluster's mean soft label. */
  membership: Float64Array;
  clusters: ClusterSummary[];
  /** Images of this round that were also in the previous one. */
  shared: number;
}

export interface RefineOptions {
  k: number;
  seed: number;
  alpha?: number;
  signal?: AbortSignal;
}

export class ClusterRefiner {
  refine(keys: string[], features: VectorRows, previous: RoundAssignment | null, options: RefineOptions): RefinedRound {
    const alpha = options.alpha ?? DEFAULT_ALPHA;
    const unit = centredUnitRows(features, columnMean([features], features.width));
    const raw = sphericalKMeans(unit, options.k, options.seed, 50, options.signal);
    const currentCount = raw.k;

    // Previous stable ids compacted to 0..C_{t-1}-1; -1 for images new in this round.
    const previousById = new Map<string, number>();
    previous?.keys.forEach((key, i) => previousById.set(key, previous.ids[i]));
    const previousIds = [...new Set(previous?.ids ?? [])].sort((a, b) => a - b);
    const compact = new Map(previousIds.map((id, i) => [id, i]));
    const before = Int32Array.from(keys, (key) => (previousById.has(key) ? compact.get(previousById.get(key)!)! : -1));
    const sharedRows = [...before.keys()].filter((i) => before[i] >= 0);

    let groups: Int32Array;
    let soft: Float64Array[];
    if (sharedRows.length === 0) {
      groups = raw.assignment;
      soft = Array.from(raw.assignment, (c) => mixedSoftLabel(c, -1, new Float64Array(0), currentCount, alpha));
    } else {
      const projection = iouProjection(
        Int32Array.from(sharedRows, (i) => before[i]),
        previousIds.length,
        Int32Array.from(sharedRows, (i) => raw.assignment[i]),
        currentCount,
      );
      soft = Array.from(raw.assignment, (c, i) => mixedSoftLabel(c, before[i], projection, currentCount, alpha));
      // Soft labels depend only on (current cluster, previous cluster): cluster the distinct ones.
      const distinct = new Map<string, number>();
      const pointOf = Int32Array.from(raw.assignment, (c, i) => {
        const key = `${c}:${before[i]}`;
        if (!distinct.has(key)) distinct.set(key, distinct.size);
        return distinct.get(key)!;
      });
      const points: Float64Array[] = new Array(distinct.size);
      const weights = new Array<number>(distinct.size).fill(0);
      pointOf.forEach((p, i) => {
        points[p] = soft[i];
        weights[p]++;
      });
      const pointGroup = averageLinkage(points, weights, { clusters: options.k });
      groups = Int32Array.from(pointOf, (p) => pointGroup[p]);
    }

    const ids = stableIds(groups, before, previousIds);
    return { keys, ids, rawAssignment: raw.assignment, ...summarise(ids, soft, unit, before, previousIds), shared: sharedRows.length };
  }
}

/** Summaries for a labelling kept as it is (an unchanged dataset): ids and history do not move. */
export function summariseFixed(keys: string[], features: VectorRows, ids: Int32Array): RefinedRound {
  const unit = centredUnitRows(features, columnMean([features], features.width));
  const distinctIds = [...new Set(ids)].sort((a, b) => a - b);
  const column = new Map(distinctIds.map((id, i) => [id, i]));
  const soft = Array.from(ids, (id) => mixedSoftLabel(column.get(id)!, -1, new Float64Array(0), distinctIds.length, 1));
  const before = Int32Array.from(ids, (id) => column.get(id)!);
  return { keys, ids, rawAssignment: ids, ...summarise(ids, soft, unit, before, distinctIds), shared: keys.length };
}

/**
 * Gives each group the previous id it shares most images with (greedy, largest overlap first);
 * groups left over get fresh ids above every previous one, the largest group first.
 */
function stableIds(groups: Int32Array, before: Int32Array, previousIds: number[]): Int32Array {
  const groupCount = groups.reduce((m, g) => Math.max(m, g + 1), 0);
  const overlap = new Map<string, { group: number; previous: number; count: number }>();
  groups.forEach((g, i) => {
    if (before[i] < 0) return;
    const key = `${g}:${before[i]}`;
    const entry = overlap.get(key) ?? { group: g, previous: before[i], count: 0 };
    entry.count++;
    overlap.set(key, entry);
  });
  const idOfGroup = new Array<number>(groupCount).fill(-1);
  const takenPrevious = new Set<number>();
  for (const { group, previous, count } of [...overlap.values()].sort((a, b) => b.count - a.count || a.group - b.group || a.previous - b.previous)) {
    if (count === 0 || idOfGroup[group] >= 0 || takenPrevious.has(previous)) continue;
    idOfGroup[group] = previousIds[previous];
    takenPrevious.add(previous);
  }
  const sizes = new Array<number>(groupCount).fill(0);
  groups.forEach((g) => sizes[g]++);
  let next = previousIds.length > 0 ? previousIds[previousIds.length - 1] + 1 : 0;
  for (const group of [...sizes.keys()].sort((a, b) => sizes[b] - sizes[a] || a - b)) if (idOfGroup[group] < 0 && sizes[group] > 0) idOfGroup[group] = next++;
  return Int32Array.from(groups, (g) => idOfGroup[g]);
}

function summarise(ids: Int32Array, soft: Float64Array[], unit: VectorRows, before: Int32Array, previousIds: number[]): { membership: Float64Array; clusters: ClusterSummary[] } {
  const members = new Map<number, number[]>();
  ids.forEach((id, i) => members.set(id, [...(members.get(id) ?? []), i]));
  const membership = new Float64Array(ids.length);
  const clusters: ClusterSummary[] = [];
  for (const [id, rows] of [...members.entries()].sort((a, b) => a[0] - b[0])) {
    const width = soft[rows[0]].length;
    const mean = new Float64Array(width);
    for (const row of rows) for (let d = 0; d < width; d++) mean[d] += soft[row][d] / rows.length;
    let consistency = 0;
    for (const row of rows) {
      membership[row] = 1 - cosineDistance(soft[row], mean);
      consistency += membership[row] / rows.length;
    }
    const direction = new Float64Array(unit.width);
    for (const row of rows) for (let d = 0; d < unit.width; d++) direction[d] += unit.data[row * unit.width + d];
    let cohesion = 0;
    for (const row of rows) cohesion += (1 - cosineDistance(unit.data.subarray(row * unit.width, (row + 1) * unit.width), direction)) / rows.length;
    const seen = rows.filter((row) => before[row] >= 0);
    const stability = seen.length > 0 ? seen.filter((row) => previousIds[before[row]] === id).length / seen.length : null;
    clusters.push({ id, size: rows.length, stability, consistency, cohesion });
  }
  return { membership, clusters };
}
