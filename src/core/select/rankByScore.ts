// Top-B items by a score, highest first; ties go to the lower index so the order is deterministic.
import type { SelectedItem } from './types';

export function topByScore(score: ArrayLike<number>, budget: number, why: (index: number) => Record<string, number>): SelectedItem[] {
  const count = Math.min(Math.max(0, Math.floor(budget)), score.length);
  const order = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  return order.slice(0, count).map((index) => ({ index, score: score[index], why: why(index) }));
}
