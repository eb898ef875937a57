// Cross-validation folds that keep every class spread over all folds, so each held-out fold's
// predictions come from a model that saw every class (out-of-sample predictions for every sample).
import { SeededRandom } from './seededRandom';

/** fold[i] in [0, folds) for every sample; within each class the samples are dealt round-robin in a seeded order. */
export function stratifiedFolds(labels: Int32Array, folds: number, seed: number): Int32Array {
  const random = new SeededRandom(seed);
  const fold = new Int32Array(labels.length);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => byClass.set(label, [...(byClass.get(label) ?? []), i]));
  let offset = 0;
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(label)!;
    const order = random.permutation(members.length);
    // Start each class where the last one stopped, so small classes do not all land in fold 0.
    order.forEach((position, rank) => (fold[members[position]] = (offset + rank) % folds));
    offset = (offset + members.length) % folds;
  }
  return fold;
}
