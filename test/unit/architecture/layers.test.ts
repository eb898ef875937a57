// The layering of src/, read from folder names: a file may import files of its own folder and of
// folders on a lower rank, never a folder on its own rank or above, and no files may import each
// other in a loop. Each rank names what its folders are for; a new folder must be placed here
// before it can hold code.
import assert from 'node:assert/strict';
import { importCycles, importEdges, importSpecifiers, layerViolations, typeScriptFiles, type ImportEdge } from './importGraph';
import { repoRoot } from '../../support/paths';

/**
 * Lowest rank first. A folder of src/core is named `core/<folder>`, the others by their name under
 * src/. Why folders of one rank may not import each other either: a method that needed another
 * method, or a job another's internals, is a missing piece of a lower rank, and the rule makes it
 * show as one. Placements the names leave open: math/ holds the MatrixKernels interface that
 * k-means runs on (select/kernels/ implements it); export/ writes the stored embeddings out, so it
 * sits on cache/; results/ sits on the methods because its files hold their results; review/ reads
 * what the jobs leave, and core/engine's protocol names the jobs' and the panel's types, so both
 * sit above jobs/. docs/architecture.md draws the same layers.
 */
export const LAYERS: ReadonlyArray<{ folders: readonly string[]; holds: string }> = [
  { folders: ['core/util'], holds: 'helpers with no domain: atomic writes, file locks, concurrency, aborts' },
  { folders: ['core/math', 'core/workspace'], holds: 'numerics on vectors and matrices; where a workspace keeps its cache' },
  { folders: ['core/dataset', 'core/model'], holds: 'what a root holds (scan, labels, manifests); which encoder runs (descriptors, catalogue, downloads)' },
  { folders: ['core/cache', 'core/embed', 'core/labels'], holds: 'the embedding store and file state; running an encoder; writing labels' },
  { folders: ['core/export'], holds: 'files written for other tools: .npy, index.csv, selection lists' },
  { folders: ['core/pool'], holds: "a root opened once: its images and labels, their content hashes, the model's stored embeddings" },
  { folders: ['core/select', 'core/suggest', 'core/cluster', 'core/duplicates', 'core/quality'], holds: 'the methods: matrices in, picks, soft labels or groups out; image statistics in, image problems out' },
  { folders: ['core/results'], holds: "the files jobs leave in a root's cache folder: one module per format, each versioned" },
  { folders: ['core/jobs'], holds: 'one user action each, from a root to its result' },
  { folders: ['core/review', 'core/report'], holds: "the review panel's service over a root's results; text and Markdown for people" },
  { folders: ['core/interop'], holds: 'files exchanged with annotation tools (Label Studio, CVAT): tasks out, labels back' },
  { folders: ['core/engine'], holds: 'the protocol and client of the engine process' },
  { folders: ['shared'], holds: 'the protocol between the extension host and its webviews' },
  { folders: ['cli', 'engine', 'host', 'webview'], holds: 'the programs: command line, engine process, extension host, webview app' },
  { folders: ['extension.ts'], holds: 'the composition root of the extension' },
];

/** The layer of a path under src/ (relative to the project root), or undefined for a folder no rank names. */
export function layerOf(file: string, layers = LAYERS): { name: string; rank: number } | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'src') return undefined;
  const name = parts[1] === 'core' ? `core/${parts[2]}` : parts[1];
  const rank = layers.findIndex((layer) => layer.folders.includes(name));
  return rank < 0 ? undefined : { name, rank };
}

function describeViolation(v: ReturnType<typeof layerViolations>[number]): string {
  const how = v.toRank === v.fromRank ? 'beside it on the same rank' : 'above it';
  return `${v.edge.from} imports '${v.edge.specifier}' (${v.edge.to}): ${v.fromLayer} (rank ${v.fromRank}) may not import ${v.toLayer} (rank ${v.toRank}), ${how}`;
}

describe('layers of src/', () => {
  const files = typeScriptFiles(repoRoot, 'src');
  const { edges, unresolved } = importEdges(repoRoot, files);
  const inSrc = edges.filter((edge) => edge.to.startsWith('src/'));

  it('reads the imports of every file', () => {
    assert.ok(files.length > 100, `found only ${files.length} files under src/`);
    assert.ok(inSrc.length > 500, `found only ${inSrc.length} imports`);
    assert.deepEqual(unresolved, [], 'relative imports that name no file');
  });

  it('places every file of src/ on a rank', () => {
    const unplaced = [...new Set(files.filter((file) => layerOf(file) === undefined).map((file) => file.split('/').slice(0, 3).join('/')))];
    assert.deepEqual(unplaced, [], 'folders missing from LAYERS');
  });

  it('imports nothing outside src/', () => {
    assert.deepEqual(edges.filter((edge) => !edge.to.startsWith('src/')).map((edge) => `${edge.from} -> ${edge.to}`), []);
  });

  it('imports only from its own folder or a lower rank', () => {
    const violations = layerViolations(inSrc, (file) => layerOf(file)!);
    assert.equal(violations.length, 0, `${violations.length} import(s) break the layering, the first of them first:\n${violations.map(describeViolation).join('\n')}`);
  });

  it('has no files that import each other in a loop', () => {
    const cycles = importCycles(inSrc);
    assert.equal(cycles.length, 0, `${cycles.length} loop(s) of imports:\n${cycles.map((files) => files.join(' <-> ')).join('\n')}`);
  });
});

describe('layers: the checker itself', () => {
  const tiny = [
    { folders: ['core/util'], holds: '' },
    { folders: ['core/a', 'core/b'], holds: '' },
    { folders: ['host'], holds: '' },
  ];
  const edge = (from: string, to: string): ImportEdge => ({ from, to, specifier: to });

  it('reports an import into a higher rank and one into another folder of the same rank', () => {
    const edges = [
      edge('src/core/util/x.ts', 'src/host/y.ts'),
      edge('src/core/a/p.ts', 'src/core/b/q.ts'),
      edge('src/core/a/p.ts', 'src/core/a/r.ts'),
      edge('src/host/y.ts', 'src/core/util/x.ts'),
    ];
    const found = layerViolations(edges, (file) => layerOf(file, tiny)!);
    assert.deepEqual(
      found.map((v) => [v.edge.from, v.edge.to, v.fromLayer, v.toLayer]),
      [
        ['src/core/util/x.ts', 'src/host/y.ts', 'core/util', 'host'],
        ['src/core/a/p.ts', 'src/core/b/q.ts', 'core/a', 'core/b'],
      ],
    );
  });

  it('reports loops of files, also inside one folder, and nothing for a chain', () => {
    const cycles = importCycles([
      edge('src/core/a/1.ts', 'src/core/a/2.ts'),
      edge('src/core/a/2.ts', 'src/core/a/3.ts'),
      edge('src/core/a/3.ts', 'src/core/a/1.ts'),
      edge('src/core/a/3.ts', 'src/core/util/4.ts'),
      edge('src/core/util/5.ts', 'src/core/util/5.ts'),
      edge('src/host/6.ts', 'src/core/util/4.ts'),
    ]);
    assert.deepEqual(cycles, [['src/core/a/1.ts', 'src/core/a/2.ts', 'src/core/a/3.ts'], ['src/core/util/5.ts']]);
  });

  it('reads every form of import, and none written in comments, strings or regular expressions', () => {
    const source = [
      "import { a } from './a';",
      'import type {',
      '  B,',
      "} from '../b';",
      "export { c } from './c';",
      "export * from './d';",
      "import './e';",
      "const f = await import('./f');",
      "const g = require('./g');",
      "// import { h } from './h';",
      "/* export * from './i'; */",
      "const j = \"import { j } from './j'\";",
      "const k = `${await import('./k')} from './not-k'`;",
      "const l = /from '.\\/l'/.test(x) ? 1 : 2;",
      "const m = a / 2; import('./m');",
    ].join('\n');
    assert.deepEqual(importSpecifiers(source).sort(), ['../b', './a', './c', './d', './e', './f', './g', './k', './m']);
  });
});
