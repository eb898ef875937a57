// Nearest labelled images to one image by cosine similarity of centred embeddings (the encoder's
// ReLU outputs are all non-negative, so raw cosines crowd near 1; centring spreads them out).

export interface LabelledMatrix {
  /** Centred, unit-length rows. */
  rows: Float32Array;
  width: number;
  mean: Float64Array;
  /** Row i belongs to hashes[i]. */
  hashes: string[];
}

export function buildLabelledMatrix(raw: Float32Array, width: number, hashes: string[]): LabelledMatrix {
  const count = hashes.length;
  const mean = new Float64Array(width);
  for (let r = 0; r < count; r++) for (let k = 0; k < width; k++) mean[k] += raw[r * width + k];
  if (count > 0) for (let k = 0; k < width; k++) mean[k] /= count;
  const rows = new Float32Array(count * width);
  for (let r = 0; r < count; r++) rows.set(centredUnit(raw.subarray(r * width, (r + 1) * width), mean), r * width);
  return { rows, width, mean, hashes };
}

/** The `k` rows most similar to `query`, best first, leaving out rows whose hash is `exclude`. */
export function nearestRows(matrix: LabelledMatrix, query: Float32Array, k: number, exclude?: string): { hash: string; similarity: number }[] {
  const q = centredUnit(query, matrix.mean);
  const best: { hash: string; similarity: number }[] = [];
  for (let r = 0; r < matrix.hashes.length; r++) {
    if (matrix.hashes[r] === exclude) continue;
    let similarity = 0;
    const base = r * matrix.width;
    for (let j = 0; j < matrix.width; j++) similarity += matrix.rows[base + j] * q[j];
    if (best.length < k || similarity > best[best.length - 1].similarity) {
      best.push({ hash: matrix.hashes[r], similarity });
      best.sort((a, b) => b.similarity - a.similarity);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

function centredUnit(row: Float32Array, mean: Float64Array): Float32Array {
  const out = new Float32Array(row.length);
  let norm = 0;
  for (let k = 0; k < row.length; k++) {
    out[k] = row[k] - mean[k];
    norm += out[k] * out[k];
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let k = 0; k < row.length; k++) out[k] *= scale;
  return out;
}
