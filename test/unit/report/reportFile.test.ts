import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { linkFrom, reportPathFor, writeReport } from '../../../src/core/report/reportFile';
import { tempDir } from '../../support/paths';

describe('the Markdown report beside a result file', () => {
  it('takes the result file\'s name with .md', () => {
    assert.equal(reportPathFor(join('/r', '.curator', 'suggestions', 'pll.json')), join('/r', '.curator', 'suggestions', 'pll.md'));
  });

  it('links images relative to the report\'s folder, with forward slashes', () => {
    const link = linkFrom(join('/data', 'root', '.curator', 'suggestions', 'pll.md'), join('/data', 'root'));
    assert.equal(link('unlabeled/a b.png'), '../../unlabeled/a b.png');
    const outside = linkFrom(join('/caches', 'root-1a2b', 'suggestions', 'issues.md'), join('/data', 'root'));
    assert.equal(outside('cat/a.png'), '../../../data/root/cat/a.png');
  });

  it('writes what render makes with those links and returns its path', async () => {
    const { dir, cleanup } = await tempDir('report-file');
    try {
      const resultFile = join(dir, '.curator', 'suggestions', 'clusters.json');
      await mkdir(join(dir, '.curator', 'suggestions'), { recursive: true });
      const path = await writeReport(resultFile, dir, (link) => `# Groups\n\n![](${link('unlabeled/u1.png')})\n`);
      assert.equal(path, join(dir, '.curator', 'suggestions', 'clusters.md'));
      assert.equal(await readFile(path, 'utf8'), '# Groups\n\n![](../../unlabeled/u1.png)\n');
    } finally {
      await cleanup();
    }
  });
});
