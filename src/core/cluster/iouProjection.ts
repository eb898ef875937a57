// SLR's projection between two rounds' clusterings (METHODS.md section 3, step 2):
// P(a, b) = |A_a ∩ B_b| / |A_a ∪ B_b| over the images present in both rounds, each row then
// normalised to sum 1 (a row with no overlap at all stays zero).

/**
 * previous[i] in [0, previousCount) and current[i] in [0, currentCount) are the two rounds' labels
 * of the same shared image i. Returns P as [previousCount, currentCount], row-major.
 */
export function iouProjection(previous: Int32Array, previousCount: number, current: Int32Array, currentCount: number): Float64Array {
  const intersection = new Float64Array(previousCount * currentCount);
  const sizeA = new Float64Array(previousCount);
  const sizeB = new Float64Array(currentCount);
  for (let i = 0; i < previous.length; i++) {
    intersection[previous[i] * currentCount + current[i]]++;
    sizeA[previous[i]]++;
    sizeB[current[i]]++;
  }
  const projection = new Float64Array(previousCount * currentCount);
  for (let a = 0; a < previousCount; a++) {
    let rowSum = 0;
    for (let b = 0; b < currentCount; b++) {
      const both = intersection[a * currentCount + b];
      const iou = both > 0 ? both / (sizeA[a] + sizeB[b] - both) : 0;
      projection[a * currentCount + b] = iou;
      rowSum += iou;
    }
    if (rowSum > 0) for (let b = 0; b < currentCount; b++) projection[a * currentCount + b] /= rowSum;
  }
  return projection;
}

/**
 * y~ = alpha * onehot(current) + (1 - alpha) * onehot(previous) P (step 3). An image new in this
 * round (previous = -1) has no history: its soft label is onehot(current).
 */
export function mixedSoftLabel(current: number, previous: number, projection: Float64Array, currentCount: number, alpha: number): Float64Array {
  const soft = new Float64Array(currentCount);
  if (previous < 0) {
    soft[current] = 1;
    return soft;
  }
  for (let b = 0; b < currentCount; b++) soft[b] = (1 - alpha) * projection[previous * currentCount + b];
  soft[current] += alpha;
  return soft;
}
