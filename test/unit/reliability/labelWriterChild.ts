// Helper process for the two-windows test: labels each given path, one change per write, as a
// second VS Code window on the same dataset would, then prints how many changes were applied and refused.
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
  for (const relPath of paths) {
    const result = await writer.apply([{ relPath, label }]);
    applied += result.applied.length;
    refused.push(...result.refused.map((r) => r.reason));
  }
  process.stdout.write(JSON.stringify({ applied, refused }) + '\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
