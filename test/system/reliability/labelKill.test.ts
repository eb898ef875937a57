// `curator label` killed (SIGKILL) in the middle of moving files, several times at random moments:
// every time, `curator label --undo` brings back exactly the files and folders there were before.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliPath, tempDir } from '../../support/paths';
import { runCli } from '../../support/runCli';

const FILES = 1500;
const KILLS = 6;

describe('reliability: curator label killed mid-run, then undone', function () {
  this.timeout(300_000);
  let workDir: string;
  let cleanup: () => Promise<void>;
  afterEach(async () => cleanup?.());

  it(`restores the dataset exactly after each of ${KILLS} kills`, async () => {
    ({ dir: workDir, cleanup } = await tempDir('label-kill'));
    const root = join(workDir, 'data');
    await mkdir(join(root, 'cat'), { recursive: true });
    await writeFile(join(root, 'cat', 'seed.png'), 'labelled');
    await mkdir(join(root, 'unlabeled', 'batch'), { recursive: true });
    const paths = Array.from({ length: FILES }, (_, i) => `unlabeled/${i % 2 ? 'batch/' : ''}img_${i}.png`);
    for (const path of paths) await writeFile(join(root, path), path);
    const changes = join(workDir, 'changes.csv');
    await writeFile(changes, ['path,label', ...paths.map((path, i) => `${path},${i % 3 ? 'cat' : 'dog'}`)].join('\n'));
    const before = snapshot(root);

    let midRun = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      const moved = await runAndKill(root, changes, Math.random() * 60);
      const undo = await runCli(workDir, 'label', root, '--undo');
      if (moved > 0 && moved < FILES) midRun++;
      assert.equal(undo.code, 0, `kill ${kill} (${moved} files moved): ${undo.stderr}`);
      assert.deepEqual(snapshot(root), before, `after kill ${kill} (${moved} of ${FILES} files moved) and undo, the dataset is as it was`);
    }
    assert.ok(midRun > 0, 'at least one kill landed while files were being moved');
    console.log(`      ${KILLS} kills, ${midRun} of them with some but not all files moved`);
  });
});

/** Every file under the root except the cache, with its content: a move or a lost file changes it. */
function snapshot(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((path) => !path.startsWith('.curator') && path.endsWith('.png'))
    .sort()
    .map((path) => `${path}: ${readFileSync(join(root, path), 'utf8')}`);
}

/** Starts `curator label`, waits for its first move, kills it `delayMs` later; resolves with how many files had moved. */
function runAndKill(root: string, changes: string, delayMs: number): Promise<number> {
  const movedCount = (): number => ['dog', 'cat'].reduce((sum, label) => sum + (existsSync(join(root, label)) ? readdirSync(join(root, label)).length : 0), 0) - 1;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'label', root, '--from', changes, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exited = false;
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      exited = true;
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`curator label failed (${code}): ${stderr}`));
      else resolve(movedCount());
    });
    const poll = setInterval(() => {
      if (exited) return clearInterval(poll);
      if (movedCount() <= 0) return;
      clearInterval(poll);
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }, 1);
  });
}
