// The review views built on the latest results of the suggestion jobs (<cacheDir>/suggestions/):
// soft-label suggestions for unlabelled images, likely label errors, clusters of unlabelled images
// and duplicate groups. Results name images by path; an image that was labelled, relabelled or
// moved since the job ran leaves the view, so a view shows only what still needs a decision.

import type { ReviewGroupRef } from './types';
import type { ReviewViewSource, ViewEntry } from './reviewView';

/**
 * Unlabelled images with soft labels, most confident first. This is the view for accepting
 * suggestions with Enter and the number keys: at the top the suggestion is most likely right, so
 * quick acceptance makes the fewest mistakes, and the uncertain images (the ones a person must look
 * at) are what Select Samples' margin and entropy methods already rank first.
 */
export const suggestionsView: ReviewViewSource = {
  id: 'suggestions',
  title: 'Suggestions',
  description: 'Unlabelled images with their suggested classes (latest Suggest Labels run), most confident first: 1-9 or Enter accepts.',
  entries(index) {
    const method = index.results.suggestions?.method ?? '';
    const entries: ViewEntry[] = [];
    for (const image of index.images) {
      const suggestions = index.suggestionsFor(image);
      if (!suggestions) continue;
      const [top, second] = suggestions;
      entries.push({
        relPath: image.relPath,
        score: top.p,
        suggestions,
        reasons: { method, 'top probability': top.p, ...(second ? { 'margin to second': round(top.p - second.p) } : {}) },
      });
    }
    entries.sort((a, b) => b.score! - a.score! || compare(a.relPath, b.relPath));
    entries.forEach((entry, i) => (entry.rank = i + 1));
    return entries;
  },
};

/**
 * Unlabelled images marked "new class?" (most likely of a class without labels yet), grouped into
 * look-alike sets by the Suggest Labels run, largest first, the surest members first. A group that
 * is one new class becomes a class folder with one action (N), the rest stay for a closer look.
 */
export const newClassesView: ReviewViewSource = {
  id: 'new-classes',
  title: 'Possibly new classes',
  description: 'Unlabelled images most likely of a class that has no labels yet (latest Suggest Labels run), in groups of look-alikes: N creates a class from a group, G labels it with an existing class.',
  entries(index) {
    const groups = new Map<number, ViewEntry[]>();
    for (const image of index.images) {
      const soft = index.softLabelFor(image);
      if (!soft?.unknownClass) continue;
      const id = soft.newClassGroup ?? 0;
      const entry: ViewEntry = {
        relPath: image.relPath,
        score: soft.pNewClass ?? soft.unknownScore ?? 0,
        reasons: {
          'p(class without labels)': soft.pNewClass ?? 'n/a',
          ...(soft.unknownScore !== undefined ? { 'unlike the labelled classes': soft.unknownScore } : {}),
          'closest labelled class': soft.suggestions[0]?.label ?? 'none',
        },
      };
      groups.set(id, [...(groups.get(id) ?? []), entry]);
    }
    const ordered = [...groups].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
    return ordered.flatMap(([id, entries], position) => {
      const group: ReviewGroupRef = { id: String(id), title: `Possibly new class ${position + 1}`, size: entries.length };
      return entries.sort((a, b) => b.score! - a.score! || compare(a.relPath, b.relPath)).map((entry) => ({ ...entry, group }));
    });
  },
};

/** Labelled images whose label looks wrong, most likely wrong first, with the suggested correction. */
export const labelIssuesView: ReviewViewSource = {
  id: 'issues',
  title: 'Label issues',
  description: 'Labelled images whose label looks wrong (latest Find Label Issues run), most likely wrong first: 1 or Enter accepts the suggested class.',
  entries(index) {
    const issues = index.results.issues;
    const entries: ViewEntry[] = [];
    for (const issue of issues?.items ?? []) {
      const image = index.byPath.get(issue.path);
      // Relabelled or moved since: settled, or no longer the image the flag was about.
      if (!image || image.label !== issue.label) continue;
      const corrections = issue.suggestions.filter((s) => s.label !== issue.label);
      entries.push({
        relPath: image.relPath,
        rank: entries.length + 1,
        score: round(issue.pPredicted - issue.pGiven),
        suggestions: corrections.length > 0 ? corrections : [{ label: issue.predicted, p: issue.pPredicted }],
        reasons: {
          method: issues!.method,
          'given label': issue.label,
          'p(given label)': issue.pGiven,
          'suggested class': issue.predicted,
          'p(suggested class)': issue.pPredicted,
          evidence: `predicted without this image's own label: ${issue.predicted} at ${issue.pPredicted.toFixed(2)}; the given label is not among the 2 most likely classes`,
        },
      });
    }
    return entries;
  },
};

/** Unlabelled images grouped by cluster, largest cluster first, each cluster's most typical members first. */
export const clustersView: ReviewViewSource = {
  id: 'clusters',
  title: 'Clusters',
  description: 'Unlabelled images grouped by cluster (latest Group Unlabelled Images run), largest first; G labels a whole cluster.',
  entries(index) {
    const groups: { entries: ViewEntry[]; id: number }[] = [];
    for (const cluster of index.results.clusters?.clusters ?? []) {
      const members = cluster.members
        .filter((m) => index.byPath.get(m.path)?.label === null)
        .sort((a, b) => b.membership - a.membership || compare(a.path, b.path));
      if (members.length === 0) continue;
      const group: ReviewGroupRef = { id: String(cluster.id), title: `Cluster ${cluster.id}`, size: members.length };
      groups.push({
        id: cluster.id,
        entries: members.map((m) => ({
          relPath: m.path,
          score: m.membership,
          group,
          reasons: {
            cluster: cluster.id,
            'cluster size': members.length,
            consistency: cluster.consistency,
            cohesion: cluster.cohesion,
            ...(cluster.stability !== null ? { stability: cluster.stability } : {}),
            membership: m.membership,
          },
        })),
      });
    }
    groups.sort((a, b) => b.entries.length - a.entries.length || a.id - b.id);
    return groups.flatMap((g) => g.entries);
  },
};

/** Duplicate groups, those whose members carry different labels first, then the largest. */
export const duplicatesView: ReviewViewSource = {
  id: 'duplicates',
  title: 'Duplicates',
  description: 'Groups of identical or near-identical images (latest Find Near-Duplicates run), conflicting labels first; G gives a group one label.',
  entries(index) {
    const groups = (index.results.duplicates?.groups ?? [])
      .map((group, position) => ({ group, position, present: group.paths.filter((path) => index.byPath.has(path)) }))
      .filter(({ present }) => present.length > 1);
    const conflicting = (paths: string[]): boolean => new Set(paths.map((path) => index.byPath.get(path)!.label).filter((l) => l !== null)).size > 1;
    const ordered = groups.map((g) => ({ ...g, conflict: conflicting(g.present) })).sort((a, b) => Number(b.conflict) - Number(a.conflict) || b.present.length - a.present.length || a.position - b.position);
    return ordered.flatMap(({ group, position, present, conflict }) => {
      const ref: ReviewGroupRef = { id: String(position + 1), title: `Duplicate group ${position + 1}`, size: present.length };
      return present.map((relPath) => ({
        relPath,
        group: ref,
        reasons: {
          group: position + 1,
          kind: group.kind === 'exact' ? 'identical files' : 'near-identical images',
          ...(group.kind === 'near' ? { 'max distance': group.maxDistance } : {}),
          'conflicting labels': conflict ? 'yes' : 'no',
        },
      }));
    });
  },
};

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
