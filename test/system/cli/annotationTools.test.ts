// Label Studio and CVAT round trips through the real CLI on the fixture's real images: export the
// saved selection for the tool, answer it as an annotator would (the tool's export file built from
// what was exported), read the labels back with `curator label --from`, and undo. Bad exports
// change nothing.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { tempDir } from '../../support/paths';
import { runCli, type CliRun } from '../../support/runCli';

describe('curator export-selection --as label-studio|cvat and label --from <export>', function () {
  this.timeout(120_000);
  let workDir: string;
  let folder: string;
  let root: string;
  let picked: string[];
  let cleanup: () => Promise<void>;
  const curator = (...args: string[]): Promise<CliRun> => runCli(workDir, ...args);
  const files = (): string[] => (readdirSync(root, { recursive: true }) as string[]).filter((path) => /\.(png|jpg)$/.test(path)).sort();

  before(async () => {
    ({ dir: workDir, cleanup } = await tempDir('cli-annotate'));
    folder = join(workDir, 'workspace');
    root = await makeFixtureDataset(folder);
    picked = readdirSync(join(root, 'unlabeled')).filter((name) => name.startsWith('u_')).sort().slice(0, 4).map((name) => `unlabeled/${name}`);
    await mkdir(join(root, '.curator', 'selections'), { recursive: true });
    await writeFile(join(root, '.curator', 'selections', 'typiclust.json'), JSON.stringify({ formatVersion: 1, items: picked.map((path, index) => ({ path, rank: index + 1, score: 1 - index / 10 })) }));
    await mkdir(join(root, '.curator', 'suggestions'), { recursive: true });
    const suggestion = (path: string, label: string, p: number) => ({ path, label: null, suggestions: [{ label, p }] });
    await writeFile(join(root, '.curator', 'suggestions', 'knn.json'), JSON.stringify({ formatVersion: 1, method: 'knn', openSet: {}, items: [suggestion(picked[0], '7', 0.91), suggestion(picked[1], '1', 0.55)] }));
  });
  after(() => cleanup());

  it('Label Studio: tasks and configuration out, an annotated export back in, per-task report, undo', async () => {
    const tasksFile = join(workDir, 'tasks.json');
    const exported = await curator('export-selection', folder, '--root', root, '--as', 'label-studio', '--out', tasksFile);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /wrote 4 of 4 selected images as Label Studio tasks .* 2 with a suggestion as prediction/);
    const tasks = JSON.parse(readFileSync(tasksFile, 'utf8')) as Array<{ data: { image: string; curator_path: string }; predictions?: Array<{ score: number; result: Array<{ value: { choices: string[] } }> }> }>;
    assert.deepEqual(tasks.map((task) => task.data.image), picked.map((path) => `/data/local-files/?d=${fixtureFacts.rootName}/${path}`));
    assert.deepEqual(tasks[0].predictions?.[0].result[0].value.choices, ['7']);
    const config = readFileSync(join(workDir, 'tasks.label-config.xml'), 'utf8');
    for (const name of fixtureFacts.classes) assert.match(config, new RegExp(`<Choice value="${name}"/>`));

    const again = await curator('export-selection', folder, '--root', root, '--as', 'label-studio', '--out', tasksFile);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);

    // The annotator: accepts 7, picks 1, cancels one, and picks a class the root does not have;
    // someone added a task for a file outside the root. Label Studio exports ids and keeps data.
    const answer = (id: number, image: string, choices: string[] | 'cancelled') => ({
      id,
      data: { image },
      annotations: [{ id: id * 10, was_cancelled: choices === 'cancelled', result: choices === 'cancelled' ? [] : [{ from_name: 'label', to_name: 'image', type: 'choices', value: { choices } }], updated_at: '2026-12-04T10:00:00Z' }],
      predictions: [],
    });
    const exportFile = join(workDir, 'project-1-at-2026-12-04.json');
    await writeFile(
      exportFile,
      JSON.stringify([answer(1, tasks[0].data.image, ['7']), answer(2, `http://localhost:8080${tasks[1].data.image}`, ['1']), answer(3, tasks[2].data.image, 'cancelled'), answer(4, tasks[3].data.image, ['cat']), answer(5, '/data/local-files/?d=../../etc/passwd', ['7'])]),
    );
    const before = files();
    const dry = await curator('label', folder, '--root', root, '--from', exportFile, '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(files(), before, 'a dry run moves nothing');
    assert.match(dry.stdout, /5 tasks in the Label Studio export: 2 labels to write; not read: 1 cancelled, 1 outside root, 1 unknown class/);

    const run = await curator('label', folder, '--root', root, '--from', exportFile);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /task 3 .*cancelled/);
    assert.match(run.stderr, /task 4 \(unlabeled\/u_\d+\.png\): "cat" is not a class of this root/);
    assert.match(run.stderr, /task 5 .*leads outside the dataset root/);
    assert.match(run.stdout, /labelled 2 images \(moved into class folders\)/);
    assert.ok(existsSync(join(root, '7', picked[0].slice('unlabeled/'.length))));
    assert.ok(existsSync(join(root, '1', picked[1].slice('unlabeled/'.length))));

    const undo = await curator('label', folder, '--root', root, '--undo');
    assert.equal(undo.code, 0, undo.stderr);
    assert.deepEqual(files(), before, 'undo puts both files back');

    const withNew = await curator('label', folder, '--root', root, '--from', exportFile, '--allow-new-classes', '--json');
    assert.equal(withNew.code, 0, withNew.stderr);
    const report = JSON.parse(withNew.stdout);
    assert.deepEqual(report.imported.newClasses, [{ name: 'cat', count: 1 }]);
    assert.equal(report.applied.length, 3);
    assert.ok(existsSync(join(root, 'cat', picked[3].slice('unlabeled/'.length))));
    assert.equal((await curator('label', folder, '--root', root, '--undo')).code, 0);
    assert.deepEqual(files(), before);
  });

  it('CVAT: image list and labels out, a CVAT for images 1.1 export back in, undo', async () => {
    const listFile = join(workDir, 'cvat-images.txt');
    const exported = await curator('export-selection', folder, '--root', root, '--as', 'cvat', '--out', listFile);
    assert.equal(exported.code, 0, exported.stderr);
    assert.deepEqual(readFileSync(listFile, 'utf8').trim().split('\n'), picked);
    assert.deepEqual(JSON.parse(readFileSync(join(workDir, 'cvat-images.labels.json'), 'utf8')).map((label: { name: string }) => label.name), [...fixtureFacts.classes].sort());

    // CVAT names uploaded images by file name; two images tagged differently by two annotators' jobs conflict.
    const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
    const xml = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<annotations>',
      '  <version>1.1</version>',
      '  <meta><task><id>4</id><labels><label><name>7</name><attributes></attributes></label></labels></task><dumped>2026-12-04 10:00:00+00:00</dumped></meta>',
      `  <image id="0" name="${name(picked[0])}" width="28" height="28"><tag label="0" source="manual"></tag></image>`,
      `  <image id="1" name="${picked[1]}" width="28" height="28"><tag label="7" source="manual"></tag></image>`,
      `  <image id="2" name="${picked[2]}" width="28" height="28"><tag label="7" source="manual"/></image>`,
      `  <image id="3" name="${picked[2]}" width="28" height="28"><tag label="1" source="manual"/></image>`,
      `  <image id="4" name="${picked[3]}" width="28" height="28"></image>`,
      '</annotations>',
      '',
    ].join('\n');
    const xmlFile = join(workDir, 'annotations.xml');
    await writeFile(xmlFile, xml);
    const before = files();
    const run = await curator('label', folder, '--root', root, '--from', xmlFile);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /image 2, image 3 disagree \(7 vs 1\)/);
    assert.match(run.stderr, /image 4 .*no annotation/);
    assert.match(run.stdout, /5 images in the CVAT export: 2 labels to write; not read: 1 not annotated, 1 conflict/);
    assert.ok(existsSync(join(root, '0', name(picked[0]))));
    assert.ok(existsSync(join(root, '7', name(picked[1]))));
    assert.equal((await curator('label', folder, '--root', root, '--undo')).code, 0);
    assert.deepEqual(files(), before);
  });

  it('a manifest dataset: labels.csv gets the rows, undo restores it; options out of place are usage errors', async () => {
    const manifestRoot = join(workDir, 'manifest', 'shots');
    await mkdir(join(manifestRoot, 'images'), { recursive: true });
    for (const [index, path] of picked.slice(0, 3).entries()) await copyFile(join(root, path), join(manifestRoot, 'images', `${index}.png`));
    const manifest = 'path,label\nimages/0.png,7\nimages/1.png,\nimages/2.png,\n';
    await writeFile(join(manifestRoot, 'labels.csv'), manifest);
    const exportFile = join(workDir, 'manifest-export.json');
    const task = (id: number, path: string, choices: string[]) => ({ id, data: { image: `/data/local-files/?d=shots/${path}` }, annotations: [{ id, result: [{ type: 'choices', from_name: 'label', to_name: 'image', value: { choices } }] }] });
    await writeFile(exportFile, JSON.stringify([task(1, 'images/1.png', ['7']), task(2, 'images/2.png', ['7'])]));
    const run = await curator('label', manifestRoot, '--from', exportFile);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /labelled 2 images \(written to the manifest\)/);
    assert.equal(readFileSync(join(manifestRoot, 'labels.csv'), 'utf8'), 'path,label\nimages/0.png,7\nimages/1.png,7\nimages/2.png,7\n');
    assert.equal((await curator('label', manifestRoot, '--undo')).code, 0);
    assert.equal(readFileSync(join(manifestRoot, 'labels.csv'), 'utf8'), manifest);

    const baseWithCsv = await curator('export-selection', folder, '--root', root, '--as', 'csv', '--out', join(workDir, 'x.csv'), '--base', workDir);
    assert.equal(baseWithCsv.code, 2);
    assert.match(baseWithCsv.stderr, /--base goes with --as label-studio or --as cvat/);
    const newClassesWithCsv = await curator('label', manifestRoot, '--from', join(workDir, 'changes.csv'), '--allow-new-classes');
    assert.equal(newClassesWithCsv.code, 2);
    assert.match(newClassesWithCsv.stderr, /--allow-new-classes goes with --from <Label Studio \.json or CVAT \.xml export>/);
  });

  it('refuses a malformed export with a clear error and writes nothing', async () => {
    const before = files();
    const journal = join(root, '.curator', 'label-journal');
    const journalsBefore = existsSync(journal) ? readdirSync(journal).sort() : [];
    for (const [name, text, message] of [
      ['broken.json', '[{"data": {"image": "/data/local-files/?d=unlabeled/u_000.png"}, "annotations": [', /not a usable Label Studio JSON export: not JSON/],
      ['broken.xml', '<annotations><image id="0" name="a.png"><tag label="7"></image></annotations>', /not a usable CVAT for images 1\.1 XML export: not well-formed XML \(line 1: <\/image> closes <tag>\)/],
    ] as const) {
      const path = join(workDir, name);
      await writeFile(path, text);
      const run = await curator('label', folder, '--root', root, '--from', path);
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Nothing was written/);
    }
    assert.deepEqual(files(), before);
    assert.deepEqual(existsSync(journal) ? readdirSync(journal).sort() : [], journalsBefore, 'no labelling run was journalled');
  });
});
