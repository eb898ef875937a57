// The two complete label sets the kill test alternates between.
import type { LabelChange } from '../../../src/core/labels';

export function labelSetFor(paths: readonly string[], version: 0 | 1 | number): LabelChange[] {
  return paths.map((relPath, i) => ({ relPath, label: version === 0 ? (i % 3 === 0 ? null : `cat ${i}`) : `dog, "${i}"` }));
}
