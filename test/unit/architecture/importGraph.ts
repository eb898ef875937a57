// Reads which files a TypeScript source imports, and checks a file graph against a table of
// layers. Kept free of the TypeScript compiler so the test bundle stays small: a short lexer drops
// comments and the contents of strings, template literals and regular expressions first, so an
// import written inside one of them is not taken for a real one.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The module specifiers of a source: `import ... from`, `export ... from`, `import 'x'`, `import('x')`, `require('x')`. */
export function importSpecifiers(source: string): string[] {
  const { code, strings } = codeSkeleton(source);
  const found: string[] = [];
  // `from` followed by a string only occurs in import and export declarations.
  for (const pattern of [/\bfrom\s*"(\d+)"/g, /(?<![.\w$])import\s*"(\d+)"/g, /(?<![.\w$])import\s*\(\s*"(\d+)"/g, /(?<![.\w$])require\s*\(\s*"(\d+)"/g]) {
    for (const match of code.matchAll(pattern)) found.push(strings[Number(match[1])]);
  }
  return found;
}

/**
 * The source with comments removed, every string literal replaced by `"N"` (N indexes `strings`),
 * template literals and regular expression literals reduced to placeholders that match nothing.
 */
export function codeSkeleton(source: string): { code: string; strings: string[] } {
  const strings: string[] = [];
  let code = '';
  let i = 0;
  // One entry per open `${`: how many `{` are open inside it.
  const templates: number[] = [];

  const templateRest = (start: number): number => {
    for (let j = start; j < source.length; j++) {
      if (source[j] === '\\') j++;
      else if (source[j] === '`') {
        code += '`` ';
        return j + 1;
      } else if (source[j] === '$' && source[j + 1] === '{') {
        code += '`` (';
        templates.push(0);
        return j + 2;
      }
    }
    return source.length;
  };

  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
      code += ' ';
    } else if (c === '"' || c === "'") {
      let text = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c && source[j] !== '\n'; j++) {
        if (source[j] === '\\') j++;
        text += source[j];
      }
      strings.push(text);
      code += `"${strings.length - 1}"`;
      i = j + 1;
    } else if (c === '`') {
      i = templateRest(i + 1);
    } else if (c === '}' && templates.length > 0 && templates[templates.length - 1] === 0) {
      templates.pop();
      code += ') ';
      i = templateRest(i + 1);
    } else if (c === '/' && regexMayStart(code)) {
      i = regexEnd(source, i);
      code += ' /re/ ';
    } else {
      if (templates.length > 0 && c === '{') templates[templates.length - 1]++;
      if (templates.length > 0 && c === '}') templates[templates.length - 1]--;
      code += c;
      i++;
    }
  }
  return { code, strings };
}

/** Whether a `/` after this code opens a regular expression rather than dividing. */
function regexMayStart(code: string): boolean {
  const before = code.trimEnd();
  return before === '' || /[(,=:[!&|?{};+\-*%<>~^]$/.test(before) || /\b(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await|instanceof)$/.test(before);
}

function regexEnd(source: string, start: number): number {
  let inClass = false;
  for (let j = start + 1; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') j++;
    else if (c === '\n') return j;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      let end = j + 1;
      while (end < source.length && /[a-z]/i.test(source[end])) end++;
      return end;
    }
  }
  return source.length;
}

export interface ImportEdge {
  /** Both relative to the project root, forward slashes. */
  from: string;
  to: string;
  specifier: string;
}

/** Every .ts file under `folder` (relative to `root`, forward slashes), sorted. */
export function typeScriptFiles(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) found.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(join(root, folder));
  return found;
}

/**
 * The relative imports of `files` as edges between files, and the specifiers that name no file
 * (a checker that silently skipped those would pass on imports it never saw).
 */
export function importEdges(root: string, files: readonly string[]): { edges: ImportEdge[]; unresolved: string[] } {
  const edges: ImportEdge[] = [];
  const unresolved: string[] = [];
  for (const from of files) {
    for (const specifier of importSpecifiers(readFileSync(join(root, from), 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(root, dirname(from), specifier);
      const candidates = [`${target}.ts`, join(target, 'index.ts'), target.replace(/\.js$/, '.ts'), target];
      const hit = candidates.find((path) => existsSync(path) && statSync(path).isFile());
      if (hit === undefined) unresolved.push(`${from}: '${specifier}'`);
      else edges.push({ from, to: relative(root, hit).split(sep).join('/'), specifier });
    }
  }
  return { edges, unresolved };
}

export interface LayerViolation {
  edge: ImportEdge;
  fromLayer: string;
  toLayer: string;
  fromRank: number;
  toRank: number;
}

/**
 * Imports that break the layering: into a higher rank, or into another folder of the same rank.
 * `layerOf` gives a file's folder (its layer's name) and that folder's rank.
 */
export function layerViolations(edges: readonly ImportEdge[], layerOf: (file: string) => { name: string; rank: number }): LayerViolation[] {
  const found: LayerViolation[] = [];
  for (const edge of edges) {
    const from = layerOf(edge.from);
    const to = layerOf(edge.to);
    if (from.name === to.name) continue;
    if (to.rank >= from.rank) found.push({ edge, fromLayer: from.name, toLayer: to.name, fromRank: from.rank, toRank: to.rank });
  }
  return found;
}

/** Sets of files that import each other in a loop (strongly connected components of more than one file, or a file importing itself). */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  // Tarjan's algorithm, iterative so a deep import chain cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const start of [...next.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; child: number }> = [{ node: start, child: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const children = next.get(top.node) ?? [];
      if (top.child < children.length) {
        const child = children[top.child++];
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== top.node);
        if (component.length > 1 || children.includes(top.node)) cycles.push(component.sort());
      }
    }
  }
  return cycles.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
