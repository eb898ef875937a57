// Files added, removed or changed in the panel's root by anything but the panel itself (the
// Explorer, git, a script, `curator label`): the panel would otherwise show files that have moved.
// Events are gathered until the root has been quiet for a moment, then the root is read once.
// Hidden paths (the `.curator` cache, thumbnails, manifest temp and lock files) and the cache
// folder are not the dataset and are ignored.
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';

export class RootWatcher implements vscode.Disposable {
  private watcher: vscode.FileSystemWatcher | undefined;
  private root: string | undefined;
  private cacheDir: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Paths a label write just changed, until when: their events are that write, not news. */
  private readonly expected = new Map<string, number>();

  constructor(
    private readonly onSettled: (root: string) => void,
    private readonly settleMs = 1000,
  ) {}

  /** Watches `root` (and stops watching the previous one). */
  watch(root: string, cacheDir: string): void {
    this.cacheDir = cacheDir;
    if (this.root === root) return;
    this.stop();
    this.root = root;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '**/*'));
    const changed = (uri: vscode.Uri): void => this.changed(root, uri.fsPath);
    watcher.onDidCreate(changed);
    watcher.onDidDelete(changed);
    watcher.onDidChange(changed);
    this.watcher = watcher;
  }

  /** Events for these absolute paths within `ms` come from a label write whose result the panel shows already. */
  expect(paths: readonly string[], ms = 10_000): void {
    const until = Date.now() + ms;
    for (const path of paths) this.expected.set(path, until);
  }

  dispose(): void {
    this.stop();
  }

  private changed(root: string, path: string): void {
    if (root !== this.root) return;
    const expectedUntil = this.expected.get(path);
    if (expectedUntil !== undefined) {
      if (Date.now() <= expectedUntil) return;
      this.expected.delete(path);
    }
    const rel = relative(root, path);
    if (rel === '' || rel.startsWith('..') || rel.split(sep).some((segment) => segment.startsWith('.'))) return;
    if (this.cacheDir && (path === this.cacheDir || path.startsWith(this.cacheDir + sep))) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.root === root) this.onSettled(root);
    }, this.settleMs);
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.watcher?.dispose();
    this.watcher = undefined;
    this.root = undefined;
  }
}
