// Helper process for the two-windows test: labels each given path, one change per write, as a
// second VS Code window on the same dataset would, then prints how many changes were applied and
// refused, and how often it saw the other writer half done.
// Usage: node labelWriterChild.js <root> <paths.json> <label> <barrier folder>
// It writes <barrier>/<label>.ready once its writer is open, then waits for <barrier>/go.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestLabelWriter } from '../../../src/core/labels';

async function main(): Promise<void> {
  const [root, pathsFile, label, barrier] = process.argv.slice(2);
  if (!root || !pathsFile || !label || !barrier) throw new Error('usage: labelWriterChild <root> <paths.json> <label> <barrier folder>');
  const paths = JSON.parse(readFileSync(pathsFile, 'utf8')) as string[];
  const writer = await ManifestLabelWriter.open(root);
  // Both writers start together, so their writes interleave: however slow either process was to start.
  writeFileSync(join(barrier, `${label}.ready`), '');
  while (!existsSync(join(barrier, 'go'))) await new Promise((resolve) => setTimeout(resolve, 2));
  let applied = 0;
  const refused: string[] = [];
  let sawOtherHalfDone = 0;
  const manifest = join(root, 'labels.csv');
  const otherCount = (): number => countOtherLabels(readFileSync(manifest, 'utf8'), label);
  for (const [index, relPath] of paths.entries()) {
    const result = await writer.apply([{ relPath, label }]);
    applied += result.applied.length;
    refused.push(...result.refused.map((r) => r.reason));
    // Half way, wait for the other writer's first label: however the scheduler treats the two
    // processes, their writes then overlap, which is the situation under test.
    if (index === Math.floor(paths.length / 2)) {
      const deadline = Date.now() + 30_000;
      while (otherCount() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const other = otherCount();
    if (index < paths.length - 1 && other > 0 && other < paths.length) sawOtherHalfDone++;
  }
  process.stdout.write(JSON.stringify({ applied, refused, sawOtherHalfDone }) + '\n');
}

/** Rows of a path,label manifest labelled with anything but `own`. */
function countOtherLabels(text: string, own: string): number {
  return text.split('\r\n').slice(1).filter((line) => {
    const label = line.slice(line.lastIndexOf(',') + 1);
    return label !== '' && label !== own;
  }).length;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
