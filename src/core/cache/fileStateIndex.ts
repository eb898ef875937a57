// Hashing 100,000 images on every scan would take minutes. A file whose size and modification time
// are unchanged since it was last hashed is trusted to have the same content (the same trade-off
// git makes), so only new and touched files are read again.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { hashFileContent, isContentHash } from '../util/contentHash';

export interface FileState {
  size: number;
  mtimeMs: number;
  /** SHA-256 of the content, lower-case hex. */
  hash: string;
}

const INDEX_FORMAT_VERSION = 1;

interface IndexFileContent {
  version: number;
  files: Record<string, FileState>;
}

/** Persisted map relPath -> { size, mtimeMs, hash } for one dataset root. */
export class FileStateIndex {
  private readonly entries: Map<string, FileState>;
  private dirty = false;

  private constructor(
    /** Where the index is saved. */
    readonly path: string,
    entries: Map<string, FileState>,
    /** Why a saved index could not be used (it is rebuilt from scratch); undefined when it loaded fine or did not exist. */
    readonly loadProblem: string | undefined,
  ) {
    this.entries = entries;
  }

  /** Loads the index saved at `path`. A missing or unreadable index starts empty: it is only a cache. */
  static async load(path: string): Promise<FileStateIndex> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new FileStateIndex(path, new Map(), undefined);
      throw error;
    }
    try {
      return new FileStateIndex(path, parseIndex(text), undefined);
    } catch (error) {
      return new FileStateIndex(path, new Map(), `${path}: ${(error as Error).message}; starting a new index`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every recorded file and its state. */
  *files(): IterableIterator<[string, FileState]> {
    yield* this.entries.entries();
  }

  get(relPath: string): FileState | undefined {
    return this.entries.get(relPath);
  }

  /** The remembered hash when size and mtime still match, else undefined (the file must be hashed again). */
  lookup(relPath: string, size: number, mtimeMs: number): string | undefined {
    const state = this.entries.get(relPath);
    return state && state.size === size && state.mtimeMs === mtimeMs ? state.hash : undefined;
  }

  update(relPath: string, state: FileState): void {
    if (!isContentHash(state.hash)) throw new Error(`Not a SHA-256 hex digest for ${relPath}: ${state.hash}`);
    const old = this.entries.get(relPath);
    if (old && old.size === state.size && old.mtimeMs === state.mtimeMs && old.hash === state.hash) return;
    this.entries.set(relPath, { size: state.size, mtimeMs: state.mtimeMs, hash: state.hash });
    this.dirty = true;
  }

  delete(relPath: string): boolean {
    const deleted = this.entries.delete(relPath);
    if (deleted) this.dirty = true;
    return deleted;
  }

  /** Drops entries for every file not in `existing` (files deleted since the last scan); returns how many. */
  retainOnly(existing: Iterable<string>): number {
    const keep = new Set(existing);
    let dropped = 0;
    for (const relPath of [...this.entries.keys()]) {
      if (!keep.has(relPath)) {
        this.entries.delete(relPath);
        dropped++;
      }
    }
    if (dropped > 0) this.dirty = true;
    return dropped;
  }

  /**
   * The content hash of `<root>/<relPath>`: reused when size and mtime are unchanged, otherwise
   * computed and remembered. The file is stat'ed before it is read, so a file changed while being
   * hashed has a newer mtime than the one stored and is hashed again next time.
   */
  async hashOf(root: string, relPath: string): Promise<string> {
    const absolutePath = join(root, relPath);
    const before = await stat(absolutePath);
    const known = this.lookup(relPath, before.size, before.mtimeMs);
    if (known) return known;
    const hash = await hashFileContent(absolutePath);
    this.update(relPath, { size: before.size, mtimeMs: before.mtimeMs, hash });
    return hash;
  }

  /** Writes the index atomically; does nothing when nothing changed since the last load or save. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    const content: IndexFileContent = { version: INDEX_FORMAT_VERSION, files: Object.fromEntries(this.entries) };
    await writeFileAtomic(this.path, JSON.stringify(content));
    this.dirty = false;
  }
}

function parseIndex(text: string): Map<string, FileState> {
  const parsed = JSON.parse(text) as Partial<IndexFileContent> | null;
  if (typeof parsed !== 'object' || parsed === null) throw new Error('not a JSON object');
  if (parsed.version !== INDEX_FORMAT_VERSION) throw new Error(`unsupported index version ${String(parsed.version)}`);
  if (typeof parsed.files !== 'object' || parsed.files === null) throw new Error('"files" is not an object');
  const entries = new Map<string, FileState>();
  for (const [relPath, state] of Object.entries(parsed.files)) {
    if (!isFileState(state)) throw new Error(`malformed entry for ${relPath}`);
    entries.set(relPath, { size: state.size, mtimeMs: state.mtimeMs, hash: state.hash });
  }
  return entries;
}

function isFileState(value: unknown): value is FileState {
  const state = value as FileState | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    Number.isSafeInteger(state.size) &&
    state.size >= 0 &&
    Number.isFinite(state.mtimeMs) &&
    typeof state.hash === 'string' &&
    isContentHash(state.hash)
  );
}
