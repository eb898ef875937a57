// Checks each VSIX after packaging (run by `npm run package`; `node scripts/verify-vsix.mjs [file.vsix...]`,
// default: every dist-vsix/*.vsix). A VSIX passes when everything the extension loads at run time is
// inside, at the path it is loaded from, and nothing that must not ship is. For the VSIX of this
// machine's platform it also extracts the extension and loads onnxruntime (running the default
// model once) and sharp from the extracted copy. Exits non-zero, listing every problem, otherwise.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZipReader } from './lib/zipReader.mjs';
import { hostTargetName, ortBinaryDir, sharpBinding, VSIX_TARGETS } from './lib/vsixTargets.mjs';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const EXT = 'extension/';
const S_IFSOCK = 0o140000;

/** Files the extension host, the engine process and the summary view load, relative to the extension. */
const REQUIRED = [
  'package.json',
  'dist/extension.js',
  'dist/engine.js',
  'dist/summary.js',
  'media/summary.css',
  'dist/models/default/model.json',
  'dist/models/default/model.onnx',
  'readme.md',
  'changelog.md',
  'LICENSE.txt',
  'THIRD_PARTY_NOTICES.md',
];

/** Packages that may ship: the run-time closure of onnxruntime-node and sharp. Update it with the dependencies. */
const RUNTIME_PACKAGES = ['onnxruntime-node', 'onnxruntime-common', 'sharp', 'detect-libc', 'semver', '@img/colour'];

/** Paths that must never ship: sources, tests, tools, scratch space, caches, source maps. */
const FORBIDDEN = [
  /^(src|test|tools|bench|scripts|sample|\.scratch|out|dist-vsix|\.ci|\.vscode)\//,
  /^dist\/(test|tools|bench|scripts)\//,
  /(^|\/)\.curator(\/|$)/,
  /\.map$/,
  /(?<!\.d)\.ts$/,
  /\.vsix$/,
  /\.sock$/,
  /^node_modules\/onnxruntime-node\/script\//,
  /^node_modules\/sharp\/(src|install)\//,
];

function verify(path) {
  const problems = [];
  const zip = new ZipReader(path);
  const files = new Set(zip.entries.filter((entry) => entry.name.startsWith(EXT)).map((entry) => entry.name.slice(EXT.length)));

  const targetName = /TargetPlatform="([^"]+)"/.exec(zip.read('extension.vsixmanifest').toString('utf8'))?.[1];
  const target = targetName ? VSIX_TARGETS[targetName] : undefined;
  if (!target) problems.push(`no known TargetPlatform in extension.vsixmanifest (found ${targetName ?? 'none'})`);

  for (const file of REQUIRED) if (!files.has(file)) problems.push(`missing ${file}`);
  const manifest = JSON.parse(zip.read(`${EXT}package.json`).toString('utf8'));
  if (!files.has(normalise(manifest.main))) problems.push(`package.json "main" (${manifest.main}) is not in the VSIX`);
  if (manifest.devDependencies || manifest.scripts) problems.push('package.json still declares devDependencies or scripts');
  if (files.has('dist/models/default/model.json')) {
    const model = JSON.parse(zip.read(`${EXT}dist/models/default/model.json`).toString('utf8'));
    if (!files.has(`dist/models/default/${model.file}`)) problems.push(`model.json names ${model.file}, which is not beside it`);
  }

  if (target) problems.push(...checkNatives(files, target));
  for (const file of files) {
    if (FORBIDDEN.some((pattern) => pattern.test(file))) problems.push(`must not ship: ${file}`);
    const packageName = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
    if (packageName && target && !allowedPackage(packageName, target)) problems.push(`not a run-time dependency for ${targetName}: ${file}`);
  }
  for (const entry of zip.entries) if (entry.unixMode === S_IFSOCK) problems.push(`socket file: ${entry.name}`);
  return { zip, target: targetName, problems: dedupe(problems) };
}

/** The native binaries, where onnxruntime-node and sharp look for them when the engine requires them. */
function checkNatives(files, target) {
  const problems = [];
  const ortDir = `node_modules/onnxruntime-node/${ortBinaryDir(target)}`;
  // onnxruntime-node/dist/binding.js requires ../bin/napi-v6/<platform>/<arch>/onnxruntime_binding.node,
  // which links the ONNX Runtime library beside it.
  for (const file of ['onnxruntime_binding.node', target.ortLibrary]) {
    if (!files.has(`${ortDir}/${file}`)) problems.push(`missing ${ortDir}/${file}`);
  }
  for (const file of files) {
    if (file.startsWith('node_modules/onnxruntime-node/bin/') && !file.startsWith(`${ortDir}/`)) problems.push(`another platform's onnxruntime binary: ${file}`);
  }
  for (const entry of ['node_modules/onnxruntime-node/dist/index.js', 'node_modules/onnxruntime-common/dist/cjs/index.js', 'node_modules/sharp/dist/index.cjs']) {
    if (!files.has(entry)) problems.push(`missing ${entry}`);
  }
  // sharp requires @img/sharp-<platform>/sharp.node (its lib/*.node), which links libvips by a relative rpath.
  const imgFiles = [...files].filter((file) => file.startsWith('node_modules/@img/')).map((file) => file.slice('node_modules/@img/'.length));
  if (!imgFiles.some((file) => sharpBinding(target).test(file))) problems.push(`missing sharp's binding for ${target.sharpPlatform} (${sharpBinding(target)})`);
  if (!imgFiles.some((file) => target.libvips.test(file))) problems.push(`missing libvips for ${target.sharpPlatform} (${target.libvips})`);
  return problems;
}

function allowedPackage(name, target) {
  return (
    RUNTIME_PACKAGES.includes(name) ||
    name === `@img/sharp-${target.sharpPlatform}` ||
    (target.os !== 'win32' && name === `@img/sharp-libvips-${target.sharpPlatform}`)
  );
}

/**
 * Extracts the extension and loads the natives the way the engine does: resolved from
 * dist/engine.js, so a file in the wrong place fails here as it would for a user.
 */
async function loadFromExtractedCopy(zip) {
  const root = mkdtempSync(join(tmpdir(), 'curator-vsix-'));
  try {
    for (const entry of zip.entries) {
      if (!entry.name.startsWith(EXT) || entry.name.endsWith('/')) continue;
      const destination = join(root, entry.name);
      mkdirSync(dirname(destination), { recursive: true });
      writeFileSync(destination, zip.read(entry.name));
    }
    const extension = join(root, 'extension');
    const requireFromEngine = createRequire(join(extension, 'dist', 'engine.js'));
    for (const name of ['onnxruntime-node', 'sharp']) {
      const resolved = requireFromEngine.resolve(name);
      if (!resolved.startsWith(`${extension}${sep}`)) throw new Error(`${name} resolved outside the extension: ${resolved}`);
    }

    const ort = requireFromEngine('onnxruntime-node');
    const modelDir = join(extension, 'dist', 'models', 'default');
    const model = createRequire(modelDir + sep)('./model.json');
    const session = await ort.InferenceSession.create(join(modelDir, model.file), { executionProviders: ['cpu'] });
    const [height, width] = model.input.size;
    const input = new ort.Tensor('float32', new Float32Array(height * width * 3), [1, height, width, 3]);
    const output = await session.run({ [model.input.name]: input });
    const embedding = output[model.outputs.embedding];
    if (!embedding || embedding.dims.length !== 2) throw new Error(`the default model gave no [N, D] ${model.outputs.embedding} output`);

    const sharp = requireFromEngine('sharp');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toBuffer();
    const { width: decodedWidth } = await sharp(png).metadata();
    if (decodedWidth !== 8) throw new Error('sharp could not read back an image it wrote');
    return `onnxruntime ran the default model (embedding ${embedding.dims.join('x')}); sharp encoded and decoded a PNG`;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function normalise(path) {
  return path.replace(/^\.\//, '');
}

function dedupe(list) {
  return [...new Set(list)];
}

async function main() {
  const args = process.argv.slice(2);
  const outDir = join(repoRoot, 'dist-vsix');
  const paths = args.length > 0 ? args.map((arg) => resolve(arg)) : readdirSync(outDir).filter((name) => name.endsWith('.vsix')).map((name) => join(outDir, name));
  if (paths.length === 0) throw new Error(`no VSIX to verify in ${relative(repoRoot, outDir)}/`);

  const host = hostTargetName();
  let failed = 0;
  for (const path of paths) {
    const { zip, target, problems } = verify(path);
    let loaded = 'not loaded: another platform';
    if (problems.length === 0 && target === host) {
      try {
        loaded = await loadFromExtractedCopy(zip);
      } catch (error) {
        problems.push(`the extracted extension could not load its natives: ${error instanceof Error ? error.message : error}`);
      }
    }
    const name = relative(process.cwd(), path);
    if (problems.length === 0) {
      console.log(`verified ${name} (${target}, ${zip.entries.length} entries)\n  ${loaded}`);
    } else {
      failed += 1;
      console.error(`\nFAILED ${name} (${target ?? 'unknown target'}):\n  ${problems.join('\n  ')}`);
    }
  }
  if (failed > 0) throw new Error(`${failed} of ${paths.length} VSIX files failed verification`);
}

main().catch((error) => {
  console.error(`\nverify-vsix: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
