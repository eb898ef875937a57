// The readable form of Group Unlabelled Images (Markdown): each cluster with its size, how alike
// its images are and how stable its id was since the last round, and its first members.
import type { ClusterImagesResult } from '../jobs/clusterImages';
import { imageLink, type LinkTarget } from './suggestionMarkdown';

export function clusterMarkdown(result: ClusterImagesResult, link: LinkTarget, createdAt: Date, membersShown = 12): string {
  const images = result.clusters.reduce((n, c) => n + c.size, 0);
  const history = result.refined
    ? `Round ${result.round}, refined against the previous round on ${result.shared} shared images (alpha ${result.alpha}): ids follow the previous round's clusters.`
    : result.round === 1
      ? 'Round 1: no previous round, so ids are new.'
      : `Round ${result.round} (the images and model are unchanged since it was computed).`;
  return [
    `# ${result.clusters.length} groups of ${images} unlabelled images`,
    '',
    history,
    '',
    `Root \`${result.root}\`, model \`${result.modelId}\`, ${result.seconds.toFixed(2)} s, ${createdAt.toISOString()}. ` +
      'Cohesion: mean cosine similarity of the members\' embeddings to their mean (1 = all alike). ' +
      'Stability: of the members that were there last round, the share that had this id then.',
    '',
    ...result.notes.map((note) => `> ${note}\n`),
    ...result.clusters.flatMap((cluster) => [
      `## Cluster ${cluster.id}: ${cluster.size} images`,
      '',
      `Cohesion ${cluster.cohesion.toFixed(3)}, consistency ${cluster.consistency.toFixed(3)}${cluster.stability === null ? '' : `, stability ${cluster.stability.toFixed(3)}`}.`,
      '',
      ...[...cluster.members]
        .sort((a, b) => b.membership - a.membership)
        .slice(0, membersShown)
        .map((member) => `- ${imageLink(member.path, link)} (membership ${member.membership.toFixed(3)})`),
      ...(cluster.members.length > membersShown ? [`- ... and ${cluster.members.length - membersShown} more`] : []),
      '',
    ]),
  ].join('\n');
}
