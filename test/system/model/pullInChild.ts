// Run by catalogue.test.ts in a child process whose model store sits on a tiny file system (or
// under a file size limit): pulls one catalogue model and prints, as one JSON line, the error and
// what the store holds afterwards. Not a test file itself.
//   node pullInChild.js <storageDir> <mirror> <model id>
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveModel } from '../../../src/core/model/registry';

async function listTree(dir: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) files.push(`${rel}/`, ...(await listTree(join(dir, entry.name), `${rel}/`)));
    else files.push(rel);
  }
  return files;
}

async function main(): Promise<void> {
  const [storageDir, mirror, id] = process.argv.slice(2);
  let error: { name: string; message: string } | undefined;
  try {
    await resolveModel(id, { bundledDir: join(storageDir, 'no-bundled'), storageDir, mirror });
  } catch (caught) {
    error = { name: (caught as Error).name, message: (caught as Error).message };
  }
  process.stdout.write(`${JSON.stringify({ error, store: await listTree(storageDir) })}\n`);
}

void main();
