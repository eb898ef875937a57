// `curator label`, run as a user would: a dry run, a run from a CSV with a bad row, the scan seeing
// the new labels, and undo putting every file back.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { tempDir } from '../../support/paths';
import { runCli, type CliRun } from '../../support/runCli';

describe('curator label', function () {
  this.timeout(120_000);
  let workDir: string;
  let folder: string;
  let root: string;
  let cleanup: () => Promise<void>;
  const curator = (...args: string[]): Promise<CliRun> => runCli(workDir, ...args);
  const label = (...args: string[]): Promise<CliRun> => curator('label', folder, '--root', root, ...args);

  before(async () => {
    ({ dir: workDir, cleanup } = await tempDir('cli-label'));
    folder = join(workDir, 'workspace');
    root = await makeFixtureDataset(folder);
  });
  after(() => cleanup());

  /** Every file of the root, relative to it, sorted. */
  const files = (): string[] => (readdirSync(root, { recursive: true }) as string[]).filter((path) => /\.(png|jpg)$/.test(path)).sort();

  it('exits 2 without exactly one of --from, --accept-suggestions and --undo', async () => {
    for (const args of [[], ['--from', 'x.csv', '--undo'], ['--undo', '--dry-run']]) {
      const run = await label(...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /needs exactly one of --from .*, --accept-suggestions or --undo|--dry-run goes with --from/);
    }
    const text = join(workDir, 'changes.txt');
    await writeFile(text, 'path,label\n');
    const wrongKind = await label('--from', text);
    assert.equal(wrongKind.code, 1);
    assert.match(wrongKind.stderr, /read from a \.csv .* or a \.jsonl file/);

    // Many refusals: the first 20 on stderr, a count of the rest, every one in --json.
    const missing = join(workDir, 'missing.csv');
    await writeFile(missing, ['path,label', ...Array.from({ length: 25 }, (_, i) => `unlabeled/gone_${i}.png,7`)].join('\n'));
    const refusedRun = await label('--from', missing, '--dry-run');
    assert.equal(refusedRun.code, 0, refusedRun.stderr);
    assert.equal(refusedRun.stderr.match(/does not exist/g)?.length, 20, refusedRun.stderr);
    assert.match(refusedRun.stderr, /\.\.\. and 5 more refused \(all of them are in the --json output\)/);
    const refusedJson = await label('--from', missing, '--dry-run', '--json');
    assert.equal(JSON.parse(refusedJson.stdout).refused.length, 25);
  });

  it('labels from a CSV (a dry run first), skips a bad row, and --undo puts every file back', async () => {
    const before = files();
    const [first, second] = readdirSync(join(root, 'unlabeled')).filter((name) => name.startsWith('u_')).sort();
    const changes = join(workDir, 'changes.csv');
    // Paths relative to the root, or to the folder given (as select and suggest print them).
    await writeFile(changes, ['path,label,note', `unlabeled/${first},7,looks like a seven`, `${fixtureFacts.rootName}/unlabeled/${second},1,`, '0/0_000.png,,not a digit', 'broken row', ''].join('\n'));

    const dry = await label('--from', changes, '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`unlabeled/${first} -> 7/${first}: \\(unlabelled\\) -> 7`));
    assert.match(dry.stdout, /would label 3 images \(moved into class folders\); nothing was written/);
    assert.deepEqual(files(), before);

    const run = await label('--from', changes, '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Line 5: .*the row is skipped/);
    const result = JSON.parse(run.stdout);
    assert.equal(result.applied.length, 3);
    assert.ok(existsSync(join(root, '7', first!)) && existsSync(join(root, '1', second!)) && existsSync(join(root, 'unlabeled', '0_000.png')));

    // The scan sees the new labels: two more labelled, one fewer.
    const scan = JSON.parse((await curator('scan', folder, '--json')).stdout).roots[0];
    assert.equal(scan.counts.labelled, fixtureFacts.labelled + 1);

    const undo = await label('--undo');
    assert.equal(undo.code, 0, undo.stderr);
    assert.match(undo.stdout, /undid 3 label changes of .*label-journal.*, 0 refused/);
    assert.deepEqual(files(), before);
    const again = await label('--undo');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Nothing to undo/);
  });

  it('--accept-suggestions labels the unlabelled images whose saved top suggestion is sure enough, and only those, never a "new class?" one', async () => {
    const none = await label('--accept-suggestions');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /has no saved suggestions yet .*run curator suggest first/);
    const bad = await label('--accept-suggestions', '--min-probability', '1.5');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--min-probability must be a number in \(0, 1\]/);

    for (const step of [['embed', folder, '--root', root, '--provider', 'cpu'], ['suggest', folder, '--root', root, '--method', 'pll']]) {
      const run = await curator(...step, '--quiet');
      assert.equal(run.code, 0, `${step[0]}: ${run.stderr}`);
    }
    const saved = JSON.parse(readFileSync(join(root, '.curator', 'suggestions', 'pll.json'), 'utf8')) as {
      items: Array<{ path: string; label: string | null; suggestions: Array<{ label: string; p: number }>; unknownClass?: boolean }>;
    };
    const all = saved.items.filter((item) => item.label === null);
    assert.equal(all.length, fixtureFacts.unlabelledDecodable);
    // The fixture's unlabelled folder holds all ten digits, only 0, 1 and 7 have labels.
    const marked = all.filter((item) => item.unknownClass);
    assert.ok(marked.length > 0, 'images of digits without labels are marked "new class?"');
    const unlabelled = all.filter((item) => !item.unknownClass);
    // A threshold in the middle of the top probabilities, so some images pass and some do not.
    const tops = unlabelled.map((item) => item.suggestions[0]!.p).sort((a, b) => a - b);
    const threshold = tops[Math.floor(tops.length / 2)]!;
    const expected = unlabelled.filter((item) => item.suggestions[0]!.p >= threshold).map((item) => `${item.path}=${item.suggestions[0]!.label}`).sort();

    const before = files();
    const dry = await label('--accept-suggestions', '--min-probability', String(threshold), '--dry-run', '--json');
    assert.equal(dry.code, 0, dry.stderr);
    const preview = JSON.parse(dry.stdout);
    assert.deepEqual(preview.applied.map((change: { oldRelPath: string; newLabel: string }) => `${change.oldRelPath}=${change.newLabel}`).sort(), expected);
    assert.equal(preview.accepted.belowThreshold, unlabelled.length - expected.length);
    assert.equal(preview.accepted.unknownClass, marked.length);
    const perClass = new Map<string, number>();
    for (const entry of expected) perClass.set(entry.split('=')[1]!, (perClass.get(entry.split('=')[1]!) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(preview.accepted.byClass.map((c: { label: string; count: number }) => [c.label, c.count])), Object.fromEntries(perClass));
    const dryText = await label('--accept-suggestions', '--min-probability', String(threshold), '--dry-run');
    assert.match(dryText.stdout, new RegExp(`${marked.length} marked "new class\\?" stay unlabelled`));
    assert.match(dryText.stdout, /would file per class: /);
    assert.deepEqual(files(), before);

    const run = await label('--accept-suggestions', '--min-probability', String(threshold));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`labelled ${expected.length} images \\(moved into class folders\\)`));
    for (const entry of expected) {
      const [path, label] = entry.split('=');
      assert.ok(existsSync(join(root, label!, path!.slice(path!.lastIndexOf('/') + 1))), entry);
    }
    // The moved images are labelled now: accepting again labels nothing more.
    const again = await label('--accept-suggestions', '--min-probability', String(threshold), '--json');
    assert.equal(JSON.parse(again.stdout).applied.length, 0, again.stderr);
    assert.equal((await label('--undo')).code, 0);
    assert.deepEqual(files(), before);
  });
});
