// Settings the CLI commands share, from flags with the same defaults as the extension.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { ExecutionProviderSetting, ModelSource } from '../core/embed/types';
import { scanWorkspace } from '../core/jobs/scanWorkspace';
import { findBundledModel } from '../core/model/bundledModels';
import { findCatalogueEntry } from '../core/model/catalogue';
import { resolveCacheDir } from '../core/workspace/cacheDir';
import { UsageError, type ParsedArgs } from './args';

export const COMMON_VALUES = ['unlabeled-folder', 'model', 'provider', 'batch-size', 'cache-location', 'root'] as const;

export function targetDir(args: ParsedArgs, command: string): string {
  if (args.positional.length !== 1) throw new UsageError(`curator ${command} needs exactly one folder (got ${args.positional.length}).`);
  const dir = resolve(args.positional[0]);
  if (!existsSync(dir)) throw new UsageError(`No such folder: ${dir}`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`Not a folder: ${dir}`);
  return dir;
}

export function unlabeledFolderName(args: ParsedArgs): string {
  return args.values.get('unlabeled-folder') ?? 'unlabeled';
}

/** --root, absolute; a relative path is taken from the folder given, as the editor's setting is from the workspace folder. */
export function explicitRoots(args: ParsedArgs, dir: string): string[] {
  const root = args.values.get('root');
  if (!root) return [];
  const path = resolve(dir, root);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new UsageError(`--root ${root}: no such folder ${path} (a relative --root is taken from the folder given, ${dir}).`);
  return [path];
}

export function modelSource(args: ParsedArgs): ModelSource {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const setting = args.values.get('model') ?? 'default';
  return {
    // A local descriptor path is resolved against the current folder, as users expect of a CLI;
    // bundled and catalogue ids and URLs are kept as they are.
    setting: isModelName(setting) || /^[a-z]+:\/\//i.test(setting) ? setting : resolve(setting),
    bundledDir: join(__dirname, 'models', 'default'),
    storageDir: join(cacheHome, 'dataset-curator', 'models'),
  };
}

/** A bundled model's or catalogue entry's id, as opposed to a descriptor path. */
export function isModelName(setting: string): boolean {
  return findBundledModel(setting) !== undefined || findCatalogueEntry(setting) !== undefined;
}

export function executionProvider(args: ParsedArgs): ExecutionProviderSetting {
  const value = args.values.get('provider') ?? 'auto';
  if (value !== 'auto' && value !== 'cuda' && value !== 'cpu') throw new UsageError(`--provider must be auto, cuda or cpu (got "${value}").`);
  return value;
}

export function cacheDirFor(args: ParsedArgs, root: string): string {
  return resolveCacheDir(root, args.values.has('cache-location') ? resolve(args.values.get('cache-location')!) : '');
}

/** Paths in output are relative to the given folder, with forward slashes. */
export function displayPath(base: string, path: string): string {
  const rel = path === base ? '.' : path.startsWith(base + '/') || path.startsWith(base + '\\') ? path.slice(base.length + 1) : path;
  return rel.split('\\').join('/');
}

export interface RootJobContext {
  dir: string;
  root: string;
  source: { root: string; unlabeledFolderName: string; cacheDir: string; model: ModelSource };
  /** Prefix that makes root-relative paths relative to the folder given on the command line. */
  prefix: string;
}

/** The single dataset root under the folder (or --root), and where its cache is. */
export async function resolveRootJob(args: ParsedArgs, command: string, signal: AbortSignal): Promise<RootJobContext> {
  const dir = targetDir(args, command);
  const unlabeled = unlabeledFolderName(args);
  const summaries = await scanWorkspace({ folders: [dir], explicitRoots: explicitRoots(args, dir), unlabeledFolderName: unlabeled }, signal);
  if (summaries.length === 0) throw new Error(`No dataset roots found under ${dir}.`);
  if (summaries.length > 1 && !args.values.has('root')) {
    throw new UsageError(`${dir} holds ${summaries.length} dataset roots (${summaries.map((s) => displayPath(dir, s.root)).join(', ')}); pick one with --root.`);
  }
  const root = summaries[0].root;
  return {
    dir,
    root,
    source: { root, unlabeledFolderName: unlabeled, cacheDir: cacheDirFor(args, root), model: modelSource(args) },
    prefix: root === dir ? '' : `${displayPath(dir, root)}/`,
  };
}
