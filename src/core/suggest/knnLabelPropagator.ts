// The simple baseline every soft-label method is compared with: each image's soft label is the
// similarity-weighted vote of its k nearest labelled neighbours (cosine on centred embeddings).
// Labelled images vote without themselves (leave-one-out), so their evidence is out-of-sample,
// like the distiller's cross-validated teacher, and is flagged by the same rule.
import { columnMean, centredUnitRows, pickRows } from '../math/vectorRows';
import { DEFAULT_ISSUE_CONFIDENCE, isLabelIssue, labelEvidence, requireTrainableLabels, type LabelledPool, type SoftLabels } from './types';

export interface KnnOptions {
  k?: number;
  /** Votes weigh exp(similarity / temperature): nearer neighbours count more. */
  temperature?: number;
  issueConfidence?: number;
  signal?: AbortSignal;
}

export const KNN_DEFAULTS = { k: 10, temperature: 0.1, issueConfidence: DEFAULT_ISSUE_CONFIDENCE };

export class KnnLabelPropagator {
  private readonly o: typeof KNN_DEFAULTS & { signal?: AbortSignal };

  constructor(options: KnnOptions = {}) {
    this.o = { ...KNN_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  }

  run(pool: LabelledPool): SoftLabels {
    requireTrainableLabels(pool, 'k-NN propagation', 1);
    const classes = pool.classNames.length;
    const features = centredUnitRows(pool.features, columnMean([pool.features], pool.features.width));
    const labelledRows = [...pool.labels.keys()].filter((i) => pool.labels[i] >= 0);
    const reference = pickRows(features, labelledRows);
    const { width } = features;
    const k = Math.max(1, Math.min(this.o.k, labelledRows.length - 1));
    const probabilities = new Float64Array(features.rows * classes);
    const similarities = new Float64Array(reference.rows);
    for (let row = 0; row < features.rows; row++) {
      if (row % 256 === 0 && this.o.signal?.aborted) throw this.o.signal.reason ?? new Error('aborted');
      const base = row * width;
      for (let j = 0; j < reference.rows; j++) {
        let sum = 0;
        const rb = j * width;
        for (let d = 0; d < width; d++) sum += features.data[base + d] * reference.data[rb + d];
        // An image never votes for itself.
        similarities[j] = labelledRows[j] === row ? -Infinity : sum;
      }
      const nearest = kLargest(similarities, k);
      const p = probabilities.subarray(row * classes, (row + 1) * classes);
      let total = 0;
      for (const j of nearest) {
        const w = Math.exp((similarities[j] - similarities[nearest[0]]) / this.o.temperature);
        p[pool.labels[labelledRows[j]]] += w;
        total += w;
      }
      for (let c = 0; c < classes; c++) p[c] /= total;
    }
    const evidence = Array.from(pool.labels, (label, row) => (label >= 0 ? labelEvidence(probabilities.subarray(row * classes, (row + 1) * classes), label) : null));
    const issues = evidence.map((e) => e !== null && isLabelIssue(e, this.o.issueConfidence));
    return { classNames: pool.classNames, probabilities, evidence, issues };
  }
}

/** Indices of the k largest finite values, largest first (insertion into a sorted list of k). */
function kLargest(values: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] === -Infinity) continue;
    if (best.length < k) {
      best.push(i);
      if (best.length === k) best.sort((a, b) => values[b] - values[a]);
    } else if (values[i] > values[best[k - 1]]) {
      let at = k - 1;
      while (at > 0 && values[best[at - 1]] < values[i]) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = i;
    }
  }
  if (best.length < k) best.sort((a, b) => values[b] - values[a]);
  return best;
}
