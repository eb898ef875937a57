// A process killed (SIGKILL) while writing labels, hundreds of times: after every kill the manifest
// is exactly one complete version, and the leftovers of the killed writer are cleaned up by the next.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestLabelWriter } from '../../../src/core/labels';
import { tempDir } from '../../support/paths';
import { labelSetFor } from './killTestLabels';

// 300 kills in all by default, split between the two manifest formats.
const TOTAL_KILLS = Number(process.env.CURATOR_KILL_TEST_ITERATIONS) || 300;
const KILLS: Record<string, number> = { 'labels.csv': Math.ceil((TOTAL_KILLS * 2) / 3), 'labels.jsonl': Math.ceil(TOTAL_KILLS / 3) };
const CHILD = join(__dirname, 'manifestWriterChild.js');

describe('ManifestLabelWriter: writer killed mid-write', function () {
  // Each kill costs a Node start-up: about 60 ms on an idle machine, several times that on a busy one.
  this.timeout(300_000);
  let root: string;
  let cleanup: () => Promise<void>;
  afterEach(async () => cleanup?.());

  for (const manifestName of ['labels.csv', 'labels.jsonl']) {
    const iterations = KILLS[manifestName]!;
    it(`${manifestName}: always one complete version after ${iterations} kills; leftovers removed on the next open`, async () => {
      ({ dir: root, cleanup } = await tempDir('labels-kill'));
      const paths = Array.from({ length: 200 }, (_, i) => `unlabeled/img_${i}.png`);
      await mkdir(join(root, 'unlabeled'));
      for (const path of paths) await writeFile(join(root, path), 'x');
      const header = manifestName === 'labels.csv' ? 'path,label,annotator\r\nunlabeled/img_0.png,,ann\r\n' : '{"path": "unlabeled/img_0.png", "label": null, "annotator": "ann"}\n';
      await writeFile(join(root, manifestName), header);
      const pathsFile = join(root, 'paths.json');
      await writeFile(pathsFile, JSON.stringify(paths));

      // The two complete versions, made by the same writer in this process. Each set is written
      // twice first: the first pass adds rows for unlisted paths, after which the file only toggles.
      const versions: string[] = [];
      const writer = await ManifestLabelWriter.open(root);
      for (const version of [0, 1, 0, 1]) {
        await writer.apply(labelSetFor(paths, version));
        versions[version] = await readFile(join(root, manifestName), 'utf8');
      }
      assert.notEqual(versions[0], versions[1]);

      const seen = new Map<number, number>();
      let leftovers = 0;
      // Kill at a random moment within about two writes, whatever this machine's speed.
      let writeMs = 10;
      for (let i = 0; i < iterations; i++) {
        const measured = await runAndKill(root, pathsFile, () => Math.random() * 2 * writeMs);
        writeMs = 0.8 * writeMs + 0.2 * measured;
        const text = await readFile(join(root, manifestName), 'utf8');
        const version = versions.indexOf(text);
        assert.ok(version >= 0, `after kill ${i + 1} the manifest is one complete version; got ${text.length} chars:\n${text.slice(0, 300)}`);
        seen.set(version, (seen.get(version) ?? 0) + 1);
        leftovers += (await debris(root)).length;
        await ManifestLabelWriter.open(root); // removes what the killed writer left
        assert.deepEqual(await debris(root), [], `after kill ${i + 1} and a reopen, no temp or lock file is left`);
      }
      assert.equal(seen.size, 2, 'the children did write: both versions were seen');
      console.log(`      ${iterations} kills: version counts ${JSON.stringify([...seen])}, ${leftovers} leftover temp/lock files cleaned up, ~${writeMs.toFixed(0)} ms per write`);
    });
  }
});

/** Temp and lock files beside the manifest. */
async function debris(root: string): Promise<string[]> {
  return (await readdir(root)).filter((name) => name.startsWith('.labels.'));
}

/**
 * Starts a writer child, kills it a random delay after its first complete write, and waits for it
 * to be gone. Resolves with how long that first write took.
 */
function runAndKill(root: string, pathsFile: string, delayMs: () => number): Promise<number> {
  return new Promise((resolve, reject) => {
    let firstWriteMs = 0;
    const child = spawn(process.execPath, [CHILD, root, pathsFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', (chunk: Buffer) => {
      firstWriteMs = Number(/in ([\d.]+) ms/.exec(chunk.toString())?.[1] ?? 0);
      setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, delayMs());
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killed && signal === 'SIGKILL') resolve(firstWriteMs);
      else reject(new Error(`the writer exited by itself (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}
