// The readable forms of Suggest Labels and Find Label Issues (Markdown), written beside their JSON
// so a person can read them in the editor; the JSON stays the complete record.
import type { FindLabelIssuesResult } from '../jobs/findLabelIssues';
import type { SuggestLabelsResult } from '../jobs/suggestLabels';
import type { SuggestionItem } from '../suggest/suggestionReport';
import type { SuggestionMethod } from '../suggest/types';

/** Turns a root-relative image path into a link target that works from the Markdown file. */
export type LinkTarget = (path: string) => string;

export const METHOD_LABELS: Record<SuggestionMethod, { label: string; description: string }> = {
  pll: {
    label: 'Partial-label distillation',
    description: 'A linear teacher trained to convergence on the embeddings and one student round on its top-2 classes; out-of-fold teachers judge the given labels.',
  },
  moe: {
    label: 'Long-tail mixture of experts',
    description: 'Class-balanced cosine heads on one or more embedding models, weighed per image by a small scorer (for rare classes).',
  },
  knn: { label: 'k-nearest neighbours', description: 'Similarity-weighted votes of the nearest labelled images (the simple baseline).' },
};

/** Unlabelled images only would hide the flags, so both are listed: flagged first, then unlabelled, at most `limit` rows. */
export function suggestionsMarkdown(result: SuggestLabelsResult, link: LinkTarget, createdAt: Date, limit = 500): string {
  const flagged = result.items.filter((item) => item.issue);
  const unlabelled = result.items.filter((item) => item.label === null);
  const rows = [...flagged, ...unlabelled].slice(0, limit);
  const method = METHOD_LABELS[result.method];
  return [
    `# ${method.label}: suggestions for ${result.unlabelled} unlabelled images, ${result.issues} label issues`,
    '',
    method.description,
    '',
    summaryLine(result, createdAt),
    '',
    ...notes(result.notes),
    '| image | given label | suggestions | issue |',
    '|---|---|---|---|',
    ...rows.map((item) => `| ${imageLink(item.path, link)} | ${escapeCell(item.label ?? '')} | ${formatSuggestions(item)} | ${item.issue ? issueText(item) : ''} |`),
    '',
    rows.length < flagged.length + unlabelled.length ? `Showing ${rows.length} of ${flagged.length + unlabelled.length} rows; every image is in \`${result.method}.json\`.` : '',
    '',
  ].join('\n');
}

export function issuesMarkdown(result: FindLabelIssuesResult, link: LinkTarget, createdAt: Date): string {
  return [
    `# ${result.items.length} likely label errors among ${result.labelled} labelled images`,
    '',
    `${METHOD_LABELS[result.method].label}: a labelled image is listed when an out-of-sample model does not have its label among its two most likely classes ` +
      `and is confident in another class. Most likely wrong first.`,
    '',
    summaryLine(result, createdAt),
    '',
    ...notes(result.notes),
    '| image | given label | suggested | p(suggested) | p(given) |',
    '|---|---|---|---|---|',
    ...result.items.map(
      (item) => `| ${imageLink(item.path, link)} | ${escapeCell(item.label ?? '')} | ${escapeCell(item.predicted ?? '')} | ${formatP(item.pPredicted)} | ${formatP(item.pGiven)} |`,
    ),
    '',
  ].join('\n');
}

function summaryLine(result: { root: string; modelId: string; seconds: number }, createdAt: Date): string {
  return `Root \`${result.root}\`, model \`${result.modelId}\`, ${result.seconds.toFixed(2)} s, ${createdAt.toISOString()}.`;
}

function notes(lines: string[]): string[] {
  return lines.length > 0 ? [...lines.map((note) => `> ${note}`), ''] : [];
}

function formatSuggestions(item: SuggestionItem): string {
  const classes = item.suggestions.map((s) => `${escapeCell(s.label)} ${(s.p * 100).toFixed(1)}%`).join(', ');
  // A class without labels is the likeliest answer: said first, so nobody reads "0 — 40%" as a verdict.
  return item.unknownClass ? `**new class?** ${((item.pNewClass ?? 0) * 100).toFixed(1)}%, ${classes}` : classes;
}

function issueText(item: SuggestionItem): string {
  return `looks like ${escapeCell(item.predicted ?? '?')} (p ${formatP(item.pPredicted)}, given label p ${formatP(item.pGiven)})`;
}

function formatP(p: number | undefined): string {
  return p === undefined ? '' : p.toFixed(3);
}

export function imageLink(path: string, link: LinkTarget): string {
  return `[${escapeCell(path)}](${encodeURI(link(path))})`;
}

export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
