// The readable form of a selection (Markdown), written beside its JSON until the review panel
// shows selections itself.
import type { SelectSamplesResult } from '../jobs/selectSamples';
import { METHOD_DESCRIPTIONS } from '../select/selectors';

export function selectionMarkdown(result: SelectSamplesResult, createdAt: Date): string {
  const method = METHOD_DESCRIPTIONS[result.method];
  const variant = result.variant ? ` (${result.variant})` : '';
  const reasonKeys = [...new Set(result.items.flatMap((item) => Object.keys(item).filter((key) => !['path', 'rank', 'score', 'duplicates'].includes(key))))];
  const lines = [
    `# ${method.label}${variant}: ${result.items.length} images to label next`,
    '',
    `${method.description}`,
    '',
    ...(result.autoChoice ? [`Ran **${METHOD_DESCRIPTIONS[result.autoChoice.method].label}**: ${result.autoChoice.reason}.`, ''] : []),
    `Root \`${result.root}\`, model \`${result.modelId}\`, seed ${result.seed}, ${result.candidates} unlabelled candidates, ${result.labelled} labelled images, ` +
      `${result.seconds.toFixed(2)} s (${result.kernels} kernels), ${createdAt.toISOString()}.`,
    '',
    ...result.notes.map((note) => `> ${note}`),
    ...(result.notes.length > 0 ? [''] : []),
    `| rank | image | score | ${reasonKeys.join(' | ')}${reasonKeys.length ? ' |' : ''} identical copies |`,
    `|---|---|---|${reasonKeys.map(() => '---|').join('')}---|`,
    ...result.items.map((item) => {
      const reasons = reasonKeys.map((key) => formatValue(item[key]));
      return `| ${item.rank} | [${escapeCell(item.path)}](${encodeURI(item.path)}) | ${formatValue(item.score)} | ${reasons.join(' | ')}${reasons.length ? ' |' : ''} ${item.duplicates?.map(escapeCell).join(', ') ?? ''} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return value === undefined ? '' : escapeCell(String(value));
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
