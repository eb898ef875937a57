// The readable form of Find Image Problems (Markdown): each kind's images, worst first, with the
// threshold it was given on this dataset.
import type { FindImageProblemsResult } from '../jobs/findImageProblems';
import { FINDING_KINDS, type FindingKind } from '../quality/imageFindings';
import { imageLink, type LinkTarget } from './suggestionMarkdown';

/** What each kind means, for people: the report, the command line and the review panel say the same. */
export const FINDING_DESCRIPTIONS: Record<FindingKind, string> = {
  dark: 'much darker than the rest of the dataset (mean brightness)',
  bright: 'much brighter than the rest, washed out (mean brightness)',
  blurry: 'few sharp edges for its contrast (variance of the Laplacian)',
  'low-information': 'nearly flat: few grey levels in use (histogram entropy)',
  grayscale: 'no colour in a dataset of colour images (saturation)',
  'odd-aspect-ratio': 'a shape far from the dataset\u2019s usual width / height',
  'odd-size': 'far smaller or larger than the dataset\u2019s usual size',
};

/** Rows listed per kind; the JSON result has them all. */
const ROWS_PER_KIND = 200;

export function imageProblemMarkdown(result: FindImageProblemsResult, link: LinkTarget, createdAt: Date): string {
  const total = result.findings.length;
  return [
    `# ${total} image problem${total === 1 ? '' : 's'} in ${result.images} images`,
    '',
    'Each kind compares an image with the rest of this dataset (median and spread of one statistic, bounded by fixed levels), ' +
      'so a folder of night photos is not all "dark". Score: 0 at the threshold, 1 at the worst possible value. See docs/image-quality.md.',
    '',
    `Root \`${result.root}\`, model \`${result.modelId}\`, ${result.seconds.toFixed(2)} s, ${createdAt.toISOString()}.`,
    '',
    ...result.notes.map((note) => `> ${note}\n`),
    '| kind | images | threshold on this dataset |',
    '|---|---|---|',
    ...FINDING_KINDS.map((kind) => {
      const threshold = result.thresholds.find((t) => t.kind === kind);
      return `| ${kind} | ${result.counts[kind]} | ${threshold ? `${threshold.statistic} ${kind.startsWith('odd') ? '>' : '<'} ${threshold.threshold} (median ${threshold.median})` : ''} |`;
    }),
    '',
    ...FINDING_KINDS.flatMap((kind) => {
      const rows = result.findings.filter((f) => f.kind === kind);
      if (rows.length === 0) return [];
      return [
        `## ${kind}: ${FINDING_DESCRIPTIONS[kind]}`,
        '',
        ...rows.slice(0, ROWS_PER_KIND).map((f) => `- ${imageLink(f.path, link)} (score ${f.score})`),
        ...(rows.length > ROWS_PER_KIND ? [`- ... and ${rows.length - ROWS_PER_KIND} more in the JSON result`] : []),
        '',
      ];
    }),
  ].join('\n');
}
