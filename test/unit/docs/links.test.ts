// The README and the pages under docs/ link to each other, to benchmark results and to sources:
// every relative link must point to a file that exists, and a link to a heading (`page.md#heading`)
// to a heading that exists, so that moving text between pages cannot leave a dead link behind.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../../support/paths';

/** The Markdown files checked: the README and every page under docs/. */
function documents(): string[] {
  const docs = join(repoRoot, 'docs');
  const pages = readdirSync(docs).filter((name) => name.endsWith('.md')).map((name) => join(docs, name));
  return [join(repoRoot, 'README.md'), ...pages];
}

/** The text outside fenced code blocks and inline code, where Markdown links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Every link and image target in the prose: `[text](target)` and `![alt](target "title")`. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings, numbered as GitHub numbers repeated ones. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(match[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

describe('Documentation links', () => {
  it('checks the README and at least the pages it links to', () => {
    const files = documents().map((file) => relative(repoRoot, file));
    for (const page of ['docs/models.md', 'docs/cli.md', 'docs/architecture.md', 'docs/benchmarks.md']) {
      assert.ok(files.includes(page), `${page} is checked`);
    }
  });

  it('every relative link in README.md and docs/*.md points to an existing file and heading', () => {
    const problems: string[] = [];
    for (const file of documents()) {
      const name = relative(repoRoot, file);
      const text = readFileSync(file, 'utf8');
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
        const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
        const linked = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
        if (!linked.startsWith(repoRoot)) {
          problems.push(`${name}: ${target} leads outside the repository`);
          continue;
        }
        if (!existsSync(linked)) {
          problems.push(`${name}: ${target} does not exist`);
          continue;
        }
        if (anchor !== undefined && linked.endsWith('.md') && statSync(linked).isFile()) {
          if (!anchors(readFileSync(linked, 'utf8')).has(anchor)) problems.push(`${name}: ${target} names no heading of ${relative(repoRoot, linked)}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('keeps the README a front page of at most 250 lines', () => {
    const lines = readFileSync(join(repoRoot, 'README.md'), 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    assert.ok(lines.length <= 250, `README.md has ${lines.length} lines; move detail to docs/`);
  });
});
