// `npm run package`: builds the extension for production and packages one VSIX per platform
// into dist-vsix/. Each platform's VSIX is packaged from a staging folder that holds exactly what
// ships: the bundles, the built models, media, the documents, and the run-time dependency closure
// of onnxruntime-node and sharp with only that platform's native binaries. A platform is packaged
// only when both native dependencies have its binaries in node_modules (see docs/development.md, "Packaging").
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ortBinaryDir, sharpBinding, VSIX_TARGETS } from './lib/vsixTargets.mjs';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const outDir = join(repoRoot, 'dist-vsix');
const stagingRoot = join(repoRoot, 'out', 'vsix-staging');
const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

/** The extension's own files that ship, relative to the repository root. */
const SHIPPED = [
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'THIRD_PARTY_NOTICES.md',
  // Every docs page: the README on the extension's details page links to them.
  ...readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`),
  'media',
  'dist/models',
];
/** The CLI bundle is for the command line, which the extension does not use. */
const NOT_SHIPPED_BUNDLES = ['cli.js'];
/** Shipped when present: the README's screenshot, written by the packaged end-to-end test. */
const SHIPPED_IF_PRESENT = ['docs/images'];

/** Dependencies a package declares but uses only in its install script, never at run time. */
const INSTALL_ONLY_DEPENDENCIES = {
  // The postinstall downloads the CUDA provider libraries with these; the VSIX never runs it.
  'onnxruntime-node': ['adm-zip', 'global-agent'],
};

/**
 * Folders inside a package that nothing reads at run time: sources, build and install scripts,
 * and ES-module builds (the engine is a CommonJS bundle, so only the CommonJS builds load).
 */
const UNUSED_PACKAGE_FOLDERS = {
  'onnxruntime-node': ['script', 'lib'],
  'onnxruntime-common': ['lib', 'dist/esm'],
  sharp: ['src', 'install'],
};
/** Files inside a package that nothing reads at run time, for the same reasons. */
const UNUSED_PACKAGE_FILES = {
  sharp: [/^dist\/.*\.mjs$/],
};
const UNUSED_FILES = [/\.map$/, /\.d\.[cm]?ts$/, /\.tsbuildinfo$/, /(^|\/)lib\/glib-2\.0\//];

function main() {
  const manifest = readJson(join(repoRoot, 'package.json'));
  build();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  rmSync(stagingRoot, { recursive: true, force: true });

  const built = [];
  for (const [name, target] of Object.entries(VSIX_TARGETS)) {
    const packages = runtimePackages(manifest, target);
    const missing = missingNatives(target, packages);
    if (missing.length > 0) {
      console.log(`skipped ${name}: ${missing.join('; ')}`);
      continue;
    }
    const staging = join(stagingRoot, name);
    stage(staging, manifest, target, packages);
    const vsix = join(outDir, `${manifest.name}-${name}-${manifest.version}.vsix`);
    packageVsix(staging, name, vsix);
    built.push(vsix);
  }
  rmSync(stagingRoot, { recursive: true, force: true });

  if (built.length === 0) throw new Error('no platform has both native dependencies installed; nothing was packaged');
  console.log('\nVSIX files:');
  for (const vsix of built) {
    const bytes = statSync(vsix).size;
    console.log(`  ${relative(repoRoot, vsix)}  ${(bytes / 2 ** 20).toFixed(1)} MiB (${bytes} bytes)`);
  }
}

/** The usual build (bundles, default model, other built models), then the shipped bundles again, minified. */
function build() {
  run('npm', ['run', 'build'], repoRoot);
  run(process.execPath, ['esbuild.mjs', '--production'], repoRoot);
}

/**
 * The installed packages the extension needs at run time on a target: the closure of the
 * manifest's dependencies, with optional dependencies kept only when they are installed and
 * declare that target's os/cpu/libc. Returns package directories (absolute) -> their manifests.
 */
function runtimePackages(manifest, target) {
  const found = new Map();
  const visit = (fromDir, name, optional) => {
    const dir = resolvePackage(fromDir, name);
    if (!dir) {
      if (optional) return;
      throw new Error(`${name} (needed by ${relative(repoRoot, fromDir) || 'the extension'}) is not installed: run npm ci`);
    }
    if (found.has(dir)) return;
    const packageJson = readJson(join(dir, 'package.json'));
    if (!supports(packageJson, target)) return;
    found.set(dir, packageJson);
    const installOnly = INSTALL_ONLY_DEPENDENCIES[packageJson.name] ?? [];
    for (const dependency of Object.keys(packageJson.dependencies ?? {})) {
      if (!installOnly.includes(dependency)) visit(dir, dependency, false);
    }
    for (const dependency of Object.keys(packageJson.optionalDependencies ?? {})) visit(dir, dependency, true);
  };
  for (const name of Object.keys(manifest.dependencies)) visit(repoRoot, name, false);
  return found;
}

/** Node's lookup, reduced to the two places npm puts packages: nested under the dependent, or at the top. */
function resolvePackage(fromDir, name) {
  for (const candidate of [join(fromDir, 'node_modules', name), join(repoRoot, 'node_modules', name)]) {
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

/** npm's os/cpu/libc fields: a list of allowed values, or of excluded ones written "!value". */
function supports(packageJson, target) {
  const allows = (field, value) => {
    const list = packageJson[field];
    if (!Array.isArray(list) || list.length === 0) return true;
    if (list.includes(`!${value}`)) return false;
    return list.some((entry) => !entry.startsWith('!')) ? list.includes(value) : true;
  };
  return allows('os', target.os) && allows('cpu', target.cpu) && (target.os !== 'linux' || allows('libc', target.libc));
}

/** Why a target cannot be packaged from this node_modules, or nothing when it can. */
function missingNatives(target, packages) {
  const missing = [];
  const ort = join(repoRoot, 'node_modules', 'onnxruntime-node', ortBinaryDir(target));
  for (const file of ['onnxruntime_binding.node', target.ortLibrary]) {
    if (!existsSync(join(ort, file))) missing.push(`onnxruntime-node has no ${ortBinaryDir(target)}/${file}`);
  }
  const imgRoot = join(repoRoot, 'node_modules', '@img');
  const imgFiles = [...packages.keys()]
    .filter((dir) => dir.startsWith(`${imgRoot}${sep}`))
    .flatMap((dir) => filesUnder(dir).map((file) => relative(imgRoot, file).split(sep).join('/')));
  if (!imgFiles.some((file) => sharpBinding(target).test(file))) {
    missing.push(`@img/sharp-${target.sharpPlatform} is not installed`);
  } else if (!imgFiles.some((file) => target.libvips.test(file))) {
    missing.push(`libvips for ${target.sharpPlatform} is not installed`);
  }
  return missing;
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** Writes the folder vsce packages: the extension's files, a run-time manifest and node_modules for one target. */
function stage(staging, manifest, target, packages) {
  mkdirSync(staging, { recursive: true });
  for (const path of [...SHIPPED, ...shippedBundles()]) copy(path, true);
  for (const path of SHIPPED_IF_PRESENT) copy(path, false);
  function copy(path, required) {
    const source = join(repoRoot, path);
    if (!existsSync(source)) {
      if (required) throw new Error(`${path} is missing: it ships in every VSIX`);
      return;
    }
    cpSync(source, join(staging, path), { recursive: true, filter: (file) => !isUnused(relative(repoRoot, file)) });
  }
  cpSync(join(repoRoot, '.vscodeignore'), join(staging, '.vscodeignore'));

  // What an installed extension reads of its manifest; scripts and development dependencies stay home.
  const { devDependencies: _dev, scripts: _scripts, bin: _bin, ...runtimeManifest } = manifest;
  writeJson(join(staging, 'package.json'), runtimeManifest);

  for (const [dir, packageJson] of packages) {
    const destination = join(staging, relative(repoRoot, dir));
    const unusedFolders = UNUSED_PACKAGE_FOLDERS[packageJson.name] ?? [];
    cpSync(dir, destination, {
      recursive: true,
      filter: (file) => {
        const path = relative(dir, file).split(sep).join('/');
        if (path === '') return true;
        if (unusedFolders.some((folder) => path === folder || path.startsWith(`${folder}/`))) return false;
        if ((UNUSED_PACKAGE_FILES[packageJson.name] ?? []).some((pattern) => pattern.test(path))) return false;
        if (packageJson.name === 'onnxruntime-node' && isOtherPlatformsOrt(path, target)) return false;
        return !isUnused(path);
      },
    });
    const installOnly = INSTALL_ONLY_DEPENDENCIES[packageJson.name];
    if (installOnly) {
      // The shipped copy declares no install script and none of its dependencies, so that
      // `npm list` (which vsce runs) sees a complete tree.
      const trimmed = { ...packageJson, dependencies: { ...packageJson.dependencies }, scripts: {} };
      for (const dependency of installOnly) delete trimmed.dependencies[dependency];
      writeJson(join(destination, 'package.json'), trimmed);
    }
  }
}

/** Every top-level dist/*.js bundle (extension host, engine process, webviews) but the CLI. */
function shippedBundles() {
  return readdirSync(join(repoRoot, 'dist'))
    .filter((name) => name.endsWith('.js') && !NOT_SHIPPED_BUNDLES.includes(name))
    .map((name) => `dist/${name}`);
}

function isOtherPlatformsOrt(path, target) {
  const own = ortBinaryDir(target);
  return path.startsWith('bin/') && !(own.startsWith(path) || path.startsWith(`${own}/`));
}

function isUnused(path) {
  const posix = path.split(sep).join('/');
  return UNUSED_FILES.some((pattern) => pattern.test(posix));
}

function packageVsix(staging, targetName, vsix) {
  console.log(`\npackaging ${targetName}`);
  run(
    process.execPath,
    [
      vsce, 'package',
      '--target', targetName,
      '--out', vsix,
      // No public repository exists yet: no repository field, and README links stay relative
      // (they resolve inside the installed extension, which ships the files they point to).
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
    ],
    staging,
  );
}

function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

try {
  main();
} catch (error) {
  console.error(`\npackage: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
