// The readable form of Find Near-Duplicates (Markdown): exact copies and near-identical images,
// with label conflicts first because they are errors whatever the split.
import type { FindDuplicatesResult } from '../jobs/findDuplicates';
import { imageLink, type LinkTarget } from './suggestionMarkdown';

export function duplicateMarkdown(result: FindDuplicatesResult, link: LinkTarget, createdAt: Date): string {
  const groups = [...result.groups].sort((a, b) => Number(b.conflictingLabels) - Number(a.conflictingLabels));
  return [
    `# ${result.exactGroups} groups of identical files, ${result.nearGroups} groups of near-duplicates`,
    '',
    `Identical files share a content hash; near-duplicates are distinct files whose embeddings lie within cosine distance ${result.threshold}. ` +
      'Keep each group on one side of a train/test split.',
    '',
    `Root \`${result.root}\`, model \`${result.modelId}\`, ${result.seconds.toFixed(2)} s, ${createdAt.toISOString()}.`,
    '',
    ...result.notes.map((note) => `> ${note}\n`),
    ...groups.flatMap((group, i) => [
      `## ${i + 1}. ${group.kind === 'exact' ? 'Identical files' : `Near-duplicates (largest distance ${group.maxDistance.toPrecision(3)})`}${group.conflictingLabels ? ': labelled differently' : ''}`,
      '',
      ...group.members.map((copies) => `- ${copies.map((m) => `${imageLink(m.path, link)} [${m.label ?? 'unlabelled'}]`).join(' = ')}`),
      '',
    ]),
  ].join('\n');
}
