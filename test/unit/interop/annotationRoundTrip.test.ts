// Export tasks for a root, answer them as an annotator would in Label Studio or CVAT (the export file
// built from the tasks the way each tool writes it), read the answers back: the labels come back for
// the right images, and everything odd is reported rather than written.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportForAnnotation } from '../../../src/core/interop/exportForAnnotation';
import { parseAnnotationExport, planAnnotationImport } from '../../../src/core/interop/importAnnotations';
import { MalformedExportError } from '../../../src/core/interop/annotatedImages';
import { parseXml, childrenNamed, escapeXml } from '../../../src/core/interop/xmlSubset';
import { tempDir } from '../../support/paths';

/** A real 1x1 PNG: the scan sniffs content, so the images must be images. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

interface LsTask {
  id?: number;
  data: { image: string; curator_path?: string };
  predictions?: Array<{ model_version: string; score: number; result: Array<{ from_name: string; to_name: string; type: string; value: { choices: string[] } }> }>;
}

/** What Label Studio's JSON export looks like for tasks someone answered: the task's data kept, annotations added. */
function answeredInLabelStudio(tasks: LsTask[], answer: (task: LsTask) => string[] | 'cancelled' | undefined): unknown[] {
  return tasks.map((task, index) => {
    const chosen = answer(task);
    const annotations =
      chosen === undefined
        ? []
        : [
            { id: 1000 + index, result: [], was_cancelled: false, created_at: '2026-01-01T10:00:00.000000Z', updated_at: '2026-01-01T10:00:00.000000Z' },
            {
              id: 2000 + index,
              result: chosen === 'cancelled' ? [] : [{ id: `r${index}`, from_name: 'label', to_name: 'image', type: 'choices', origin: 'manual', value: { choices: chosen } }],
              was_cancelled: chosen === 'cancelled',
              created_at: '2026-01-02T10:00:00.000000Z',
              updated_at: '2026-01-02T10:00:00.000000Z',
            },
          ];
    return { id: index + 1, annotations, predictions: task.predictions ?? [], data: task.data, project: 3 };
  });
}

describe('annotation round trips (Label Studio, CVAT)', () => {
  let root: string;
  let cacheDir: string;
  let out: string;
  let cleanups: Array<() => Promise<void>>;
  const items = [{ relPath: 'unlabeled/a.png', rank: 1 }, { relPath: 'unlabeled/b.png', rank: 2 }, { relPath: 'unlabeled/sub/c d.png', rank: 3 }, { relPath: 'unlabeled/gone.png', rank: 4 }];

  beforeEach(async () => {
    const rootDir = await tempDir('annotate-root');
    const outDir = await tempDir('annotate-out');
    root = join(rootDir.dir, 'pets');
    out = outDir.dir;
    cacheDir = join(root, '.curator');
    cleanups = [rootDir.cleanup, outDir.cleanup];
    for (const path of ['cat/1.png', 'dog/2.png', 'unlabeled/a.png', 'unlabeled/b.png', 'unlabeled/sub/c d.png', 'unlabeled/other/a.png']) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), PNG);
    }
    await mkdir(join(cacheDir, 'suggestions'), { recursive: true });
    const suggestion = (path: string, label: string, p: number, extra = {}) => ({ path, label: null, suggestions: [{ label, p }, { label: label === 'cat' ? 'dog' : 'cat', p: 1 - p }], ...extra });
    await writeFile(
      join(cacheDir, 'suggestions', 'knn.json'),
      JSON.stringify({ formatVersion: 1, method: 'knn', openSet: {}, items: [suggestion('unlabeled/a.png', 'cat', 0.8), suggestion('unlabeled/b.png', 'dog', 0.6, { unknownClass: true })] }),
    );
  });
  afterEach(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('Label Studio: tasks with predictions and a config, answered, read back as the annotator chose', async () => {
    const tasksFile = join(out, 'tasks.json');
    const result = await exportForAnnotation(root, items, 'label-studio', tasksFile, { cacheDir, unlabeledFolderName: 'unlabeled' });
    assert.equal(result.exported, 3);
    assert.deepEqual(result.problems.map((problem) => problem.kind), ['missing']);
    assert.equal(result.predictions, 1, 'a.png has a suggestion; b.png is marked "new class?" and gets none');
    const tasks = JSON.parse(await readFile(tasksFile, 'utf8')) as LsTask[];
    // Relative to the folder holding the root: Label Studio's document root, with the root as its local storage.
    assert.deepEqual(tasks.map((task) => task.data.image), ['/data/local-files/?d=pets/unlabeled/a.png', '/data/local-files/?d=pets/unlabeled/b.png', '/data/local-files/?d=pets/unlabeled/sub/c%20d.png']);
    assert.deepEqual(tasks[0].predictions?.[0].result[0], { from_name: 'label', to_name: 'image', type: 'choices', value: { choices: ['cat'] } });
    assert.equal(tasks[0].predictions?.[0].score, 0.8);
    assert.equal(tasks[1].predictions, undefined);

    const config = parseXml(await readFile(join(out, 'tasks.label-config.xml'), 'utf8'));
    const choices = childrenNamed(config, 'Choices')[0];
    assert.equal(childrenNamed(config, 'Image')[0].attributes.get('value'), '$image');
    assert.equal(choices.attributes.get('toName'), childrenNamed(config, 'Image')[0].attributes.get('name'));
    assert.deepEqual(childrenNamed(choices, 'Choice').map((choice) => choice.attributes.get('value')), ['cat', 'dog']);

    // The annotator keeps the prediction for a.png, picks dog for b.png and cat for "c d.png". The
    // export loses curator_path for one task (edited by hand), so that one is matched by its URL.
    const answers: Record<string, string[]> = { 'unlabeled/a.png': ['cat'], 'unlabeled/b.png': ['dog'], 'unlabeled/sub/c d.png': ['cat'] };
    const exported = answeredInLabelStudio(tasks, (task) => answers[task.data.curator_path!]);
    delete (exported[2] as { data: LsTask['data'] }).data.curator_path;
    const plan = await planAnnotationImport(root, parseAnnotationExport(JSON.stringify(exported), 'export.json'), { unlabeledFolderName: 'unlabeled' });
    assert.deepEqual(plan.changes, [
      { relPath: 'unlabeled/a.png', label: 'cat' },
      { relPath: 'unlabeled/b.png', label: 'dog' },
      { relPath: 'unlabeled/sub/c d.png', label: 'cat' },
    ]);
    assert.deepEqual(plan.problems, []);
  });

  it('Label Studio: paths relative to another folder (--base), matched back by URL alone', async () => {
    const tasksFile = join(out, 'tasks.json');
    await exportForAnnotation(root, items.slice(0, 1), 'label-studio', tasksFile, { cacheDir, unlabeledFolderName: 'unlabeled', base: root });
    const tasks = JSON.parse(await readFile(tasksFile, 'utf8')) as LsTask[];
    assert.equal(tasks[0].data.image, '/data/local-files/?d=unlabeled/a.png');
    await assert.rejects(exportForAnnotation(root, items, 'label-studio', join(out, 'other.json'), { cacheDir, unlabeledFolderName: 'unlabeled', base: join(root, 'cat') }), /does not hold the dataset root/);
    const exported = answeredInLabelStudio(tasks, () => ['dog']).map((task) => ({ ...(task as object), data: { image: `http://localhost:8080${tasks[0].data.image}` } }));
    const plan = await planAnnotationImport(root, parseAnnotationExport(JSON.stringify(exported), 'export.json'), { unlabeledFolderName: 'unlabeled' });
    assert.deepEqual(plan.changes, [{ relPath: 'unlabeled/a.png', label: 'dog' }]);
  });

  it('Label Studio: reports what it cannot use and writes none of it', async () => {
    const task = (id: number, image: string, choices?: string[] | 'cancelled') => answeredInLabelStudio([{ data: { image } }], () => choices).map((t) => ({ ...(t as object), id }))[0];
    const exported = [
      task(1, '/data/local-files/?d=../secrets/key.png', ['cat']),
      task(2, '/data/local-files/?d=unlabeled/nowhere.png', ['cat']),
      task(3, '/data/upload/3/0a1b2c3d-a.png', ['cat']),
      task(4, '/data/local-files/?d=unlabeled/b.png', ['cat', 'dog']),
      task(5, '/data/local-files/?d=unlabeled/b.png', 'cancelled'),
      task(6, '/data/local-files/?d=unlabeled/sub/c%20d.png'),
      task(7, '/data/local-files/?d=cat/1.png', ['dog']),
      task(8, '/data/local-files/?d=cat/1.png', ['cat']),
      task(9, '/data/local-files/?d=dog/2.png', ['dog']),
      task(10, '/data/local-files/?d=dog/2.png', ['dog']),
      task(11, '/data/local-files/?d=unlabeled/b.png', ['hamster']),
    ];
    const read = parseAnnotationExport(JSON.stringify(exported), 'export.json');
    const plan = await planAnnotationImport(root, read, { unlabeledFolderName: 'unlabeled' });
    assert.deepEqual(plan.changes, [{ relPath: 'dog/2.png', label: 'dog' }]);
    const kinds = Object.fromEntries(plan.problems.map((problem) => [problem.where, problem.kind]));
    assert.deepEqual(kinds, {
      'task 1': 'outside-root',
      'task 2': 'unmatched',
      'task 3': 'ambiguous', // two images are named a.png
      'task 4': 'multiple-choices',
      'task 5': 'cancelled',
      'task 6': 'not-annotated',
      'task 7, task 8': 'conflict',
      'task 9, task 10': 'duplicate',
      'task 11': 'unknown-class',
    });
    const allowed = await planAnnotationImport(root, read, { unlabeledFolderName: 'unlabeled', allowNewClasses: true });
    assert.deepEqual(allowed.changes, [{ relPath: 'dog/2.png', label: 'dog' }, { relPath: 'unlabeled/b.png', label: 'hamster' }]);
    assert.deepEqual(allowed.newClasses, [{ name: 'hamster', count: 1 }]);
  });

  it('CVAT: an image list and labels, answered in a CVAT for images 1.1 export, read back', async () => {
    const listFile = join(out, 'images.txt');
    const result = await exportForAnnotation(root, items, 'cvat', listFile, { cacheDir, unlabeledFolderName: 'unlabeled' });
    assert.equal(result.companion, join(out, 'images.labels.json'));
    const paths = (await readFile(listFile, 'utf8')).split('\n').filter(Boolean);
    assert.deepEqual(paths, ['unlabeled/a.png', 'unlabeled/b.png', 'unlabeled/sub/c d.png']);
    assert.deepEqual(JSON.parse(await readFile(result.companion, 'utf8')), [{ name: 'cat', attributes: [] }, { name: 'dog', attributes: [] }]);

    const tags: Record<string, string> = { 'unlabeled/a.png': 'dog', 'unlabeled/sub/c d.png': 'cat' };
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>\n<annotations>\n  <version>1.1</version>\n  <meta><task><id>7</id><name>pets &amp; more</name><labels>' +
      '<label><name>cat</name><color>#fa3253</color><type>any</type><attributes>\n</attributes></label></labels></task></meta>\n' +
      paths
        .map((path, id) => `  <image id="${id}" name="${escapeXml(path)}" width="1" height="1">\n${tags[path] ? `    <tag label="${tags[path]}" source="manual">\n    </tag>\n` : ''}  </image>\n`)
        .join('') +
      '</annotations>\n';
    const read = parseAnnotationExport(xml, 'annotations.xml');
    assert.equal(read.tool, 'cvat');
    const plan = await planAnnotationImport(root, read, { unlabeledFolderName: 'unlabeled' });
    assert.deepEqual(plan.changes, [{ relPath: 'unlabeled/a.png', label: 'dog' }, { relPath: 'unlabeled/sub/c d.png', label: 'cat' }]);
    assert.deepEqual(plan.problems.map((problem) => `${problem.where}: ${problem.kind}`), ['image 1: not-annotated']);

    // Absolute names: inside the root they are its paths, outside it they are refused, never matched by file name.
    const absolute = `<annotations><image id="0" name="${escapeXml(join(root, 'cat', '1.png'))}"><tag label="dog"/></image><image id="1" name="${escapeXml(join(root, '..', 'elsewhere', '2.png'))}"><tag label="dog"/></image><image id="2" name="C:\\data\\2.png"><tag label="dog"/></image></annotations>`;
    const absolutePlan = await planAnnotationImport(root, parseAnnotationExport(absolute, 'annotations.xml'), { unlabeledFolderName: 'unlabeled' });
    assert.deepEqual(absolutePlan.changes, [{ relPath: 'cat/1.png', label: 'dog' }]);
    assert.deepEqual(absolutePlan.problems.map((problem) => `${problem.where}: ${problem.kind}`), ['image 1: outside-root', 'image 2: outside-root']);
  });

  it('matches awkward references: encoded slashes, back slashes, another Unicode normal form, a server address', async () => {
    await writeFile(join(root, 'unlabeled', 'caf\u00e9.png'), PNG);
    const lsTask = (id: number, image: string) => ({ id, data: { image }, annotations: [{ id, result: [{ type: 'choices', value: { choices: ['dog'] } }] }] });
    const ls = [lsTask(1, '/data/local-files/?d=pets%2Funlabeled%2Fsub%2Fc%20d.png'), lsTask(2, 'https://ls.example.org:8443/data/local-files/?d=unlabeled/cafe\u0301.png')];
    const lsPlan = await planAnnotationImport(root, parseAnnotationExport(JSON.stringify(ls), 'export.json'), { unlabeledFolderName: 'unlabeled' });
    assert.deepEqual(lsPlan.changes, [{ relPath: 'unlabeled/sub/c d.png', label: 'dog' }, { relPath: 'unlabeled/caf\u00e9.png', label: 'dog' }]);
    const xml = '<annotations><image id="0" name="unlabeled\\sub\\c d.png"><tag label="cat"/></image><image id="1" name="./unlabeled//b.png"><tag label="cat"/></image></annotations>';
    const cvatPlan = await planAnnotationImport(root, parseAnnotationExport(xml, 'annotations.xml'), { unlabeledFolderName: 'unlabeled' });
    assert.deepEqual(cvatPlan.changes, [{ relPath: 'unlabeled/sub/c d.png', label: 'cat' }, { relPath: 'unlabeled/b.png', label: 'cat' }]);
  });

  it('refuses to overwrite either file of an export', async () => {
    await writeFile(join(out, 'tasks.label-config.xml'), 'mine');
    await assert.rejects(exportForAnnotation(root, items, 'label-studio', join(out, 'tasks.json'), { cacheDir, unlabeledFolderName: 'unlabeled' }), /already exists/);
    assert.equal(await readFile(join(out, 'tasks.label-config.xml'), 'utf8'), 'mine');
    await assert.rejects(readFile(join(out, 'tasks.json')), /ENOENT/);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['truncated JSON', '[{"data": {"image": "a.png"}', /not JSON/],
    ['a JSON object', '{"data": {}}', /not an array/],
    ['the JSON-MIN export', '[{"image": "/data/local-files/?d=a.png", "choice": "cat"}]', /JSON-MIN/],
    ['a task without data.image', '[{"data": {"text": "x"}}]', /data\.image/],
    ['choices that are not text', '[{"data": {"image": "a.png"}, "annotations": [{"result": [{"type": "choices", "value": {"choices": [1]}}]}]}]', /value\.choices/],
    ['broken XML', '<annotations><image name="a.png"></annotations>', /well-formed/],
    ['XML of another kind', '<dataset><image name="a.png"/></dataset>', /<annotations>/],
    ['a CVAT video export', '<annotations><version>1.1</version><track id="0" label="cat"/></annotations>', /video/],
    ['a <tag> without a label', '<annotations><image id="0" name="a.png"><tag/></image></annotations>', /no label/],
    ['neither format', 'path,label\na.png,cat\n', /neither/],
  ];
  for (const [what, text, message] of malformed) {
    it(`refuses ${what} with a clear error`, () => {
      assert.throws(() => parseAnnotationExport(text, 'export'), (error: unknown) => error instanceof MalformedExportError && message.test(error.message) && /Nothing was written/.test(error.message));
    });
  }
});
