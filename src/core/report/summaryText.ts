// One-line and multi-line descriptions of scan and embedding results, shared by the
// extension's notifications and the CLI's human-readable output.

import { agreementSentence } from '../embed/neighbourAgreement';
import type { EmbedDatasetResult } from '../embed/types';
import type { ScanSummary } from '../jobs/scanWorkspace';
import { FINDING_KINDS, type FindingKind } from '../quality/imageFindings';

const plural = (count: number, one: string, many = `${one}s`): string => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

export function scanHeadline(summaries: ScanSummary[]): string {
  if (summaries.length === 0) return 'no dataset roots found (see the README for the folder conventions)';
  const total = (pick: (s: ScanSummary) => number): number => summaries.reduce((sum, s) => sum + pick(s), 0);
  const classes = new Set(summaries.flatMap((s) => s.classes.map((c) => `${s.root}\u0000${c.name}`))).size;
  return [
    `${plural(total((s) => s.counts.images), 'image')} in ${plural(summaries.length, 'dataset root')}`,
    `${total((s) => s.counts.labelled).toLocaleString('en')} labelled`,
    `${total((s) => s.counts.unlabelled).toLocaleString('en')} unlabelled`,
    plural(classes, 'class', 'classes'),
    plural(total((s) => s.problems.length), 'problem'),
  ].join(', ');
}

export function scanDetails(summary: ScanSummary, displayRoot = summary.root): string {
  const lines = [
    `${displayRoot}: ${plural(summary.counts.images, 'image')} (${summary.counts.labelled} labelled, ${summary.counts.unlabelled} unlabelled)` +
      (summary.manifest ? `, labels from ${labelSourceText(summary.manifest)}` : ''),
  ];
  if (summary.classes.length > 0) {
    lines.push(`  classes: ${summary.classes.map((c) => `${c.name} ${c.count}`).join(', ')}`);
  }
  for (const problem of summary.problems) {
    lines.push(`  ${problem.severity}: ${problem.relPath}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
  }
  return lines.join('\n');
}

/** `labels.csv`, or for annotation roots their kind and files: `COCO annotations/instances_train.json (+1 more)`. */
function labelSourceText(manifest: NonNullable<ScanSummary['manifest']>): string {
  if (manifest.kind !== 'coco' && manifest.kind !== 'yolo') return manifest.relPath;
  const more = (manifest.files?.length ?? 1) - 1;
  return `${manifest.kind.toUpperCase()} ${manifest.relPath}${more > 0 ? ` (+${more} more)` : ''}, ${manifest.rows} images annotated`;
}

export function embedHeadline(results: EmbedDatasetResult[]): string {
  const images = results.reduce((sum, r) => sum + r.images - r.failed.length, 0);
  const embedded = results.reduce((sum, r) => sum + r.embedded, 0);
  const cached = results.reduce((sum, r) => sum + r.fromCache, 0);
  const failed = results.reduce((sum, r) => sum + r.failed.length, 0);
  const rates = results.filter((r) => r.embedded > 0);
  const rate = rates.length > 0 ? `, ${(rates.reduce((sum, r) => sum + r.imagesPerSecond, 0) / rates.length).toFixed(1)} img/s` : '';
  const providers = [...new Set(results.map((r) => (r.provider === 'cuda' ? 'CUDA' : 'CPU')))].join(' and ');
  const model = [...new Set(results.map((r) => r.modelName))].join(', ');
  return `embeddings ready for ${plural(images, 'image')} (${embedded} computed, ${cached} from cache, ${failed} failed${rate}) with ${model} on ${providers || 'CPU'}`;
}

/** The encoder check's sentence for a root, when the root has enough labels for one. */
export function encoderCheckSentence(result: EmbedDatasetResult): string | undefined {
  if (result.neighbourAgreement === undefined) return undefined;
  return agreementSentence({ agreement: result.neighbourAgreement, images: result.neighbourAgreementImages ?? 0 }, result.modelName);
}

/** "3 image problems in 120 images: 1 dark, 2 blurry" (kinds without findings left out). */
export function imageProblemCounts(counts: Record<FindingKind, number>, images: number): string {
  const found = FINDING_KINDS.filter((kind) => counts[kind] > 0);
  const total = found.reduce((sum, kind) => sum + counts[kind], 0);
  const head = `${plural(total, 'image problem')} in ${plural(images, 'image')}`;
  return found.length === 0 ? head : `${head}: ${found.map((kind) => `${counts[kind]} ${kind}`).join(', ')}`;
}

/**
 * Where counts read back from a result file come from: "From the run of 2026-12-04 21:05 UTC." and,
 * when the embedding cache was written to since, that the run may miss new or changed images.
 */
export function imageProblemRunNote(createdAt: string, olderThanEmbeddings: boolean): string {
  const when = `${createdAt.slice(0, 10)} ${createdAt.slice(11, 16)} UTC`;
  const stale = olderThanEmbeddings ? ' The embeddings changed since then: run Find image problems again to include new or changed images.' : '';
  return `From the run of ${when}.${stale}`;
}

/** "Embeddings: not computed in this window; the cache holds model X's, last written 2026-12-04 21:05 UTC." */
export function cachedEmbeddingsSentence(cached: ReadonlyArray<{ modelId: string; writtenAt: string }>): string {
  if (cached.length === 0) return 'Embeddings: not computed yet.';
  const models = cached.map(({ modelId, writtenAt }) => `${modelId} (last written ${writtenAt.slice(0, 10)} ${writtenAt.slice(11, 16)} UTC)`).join(', ');
  return `Embeddings: not computed in this window; the cache holds embeddings of ${models}.`;
}
