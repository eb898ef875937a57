// Helper process for the kill test: writes two label sets into a dataset's manifest, one after
// the other, forever, until it is killed. It prints a line (with its duration) after every complete write, so the
// test can kill it while it is busy writing rather than while Node is still starting.
// Usage: node manifestWriterChild.js <root> <paths.json>
import { readFileSync } from 'node:fs';
import { ManifestLabelWriter } from '../../../src/core/labels';
import { labelSetFor } from './killTestLabels';

async function main(): Promise<void> {
  const [root, pathsFile] = process.argv.slice(2);
  if (!root || !pathsFile) throw new Error('usage: manifestWriterChild <root> <paths.json>');
  const paths = JSON.parse(readFileSync(pathsFile, 'utf8')) as string[];
  const writer = await ManifestLabelWriter.open(root);
  for (let round = 0; ; round++) {
    const started = performance.now();
    const result = await writer.apply(labelSetFor(paths, round % 2));
    if (result.refused.length > 0) throw new Error(result.refused[0]!.reason);
    process.stdout.write(`wrote ${round} in ${(performance.now() - started).toFixed(1)} ms\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
