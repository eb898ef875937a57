// Scan + embed over every kind of bad input at once, with the real bundled model on the CPU: each
// input gets the outcome and the specific message it should, the run finishes, and every valid
// image is embedded. EXIF orientation is checked against a physically rotated copy.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import { makeBadInputs, QUOTED_MANIFEST_LABEL, type BadInputFixture } from '../../fixtures/badInputs';
import { bundledModelDir, tempDir } from '../../support/paths';
import { observeBadInputs, observeFolderLabels, type BadInputRun } from './observeBadInputs';

describe('reliability: bad inputs through scan and embed', function () {
  this.timeout(120_000);
  const encoders = new EncoderCache();
  let cleanup: () => Promise<void>;
  let fixture: BadInputFixture;
  let run: BadInputRun;

  before(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir('bad-inputs'));
    fixture = await makeBadInputs(dir);
    run = await observeBadInputs(fixture, {
      encoders,
      cacheDir: join(dir, 'cache'),
      model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
    });
  });
  after(async () => {
    await encoders.dispose();
    await cleanup?.();
  });

  it('gives every input its expected outcome and a specific message', function () {
    for (const { testCase, outcome, message } of run.observations) {
      if (testCase.relPath === 'cat/unreadable.png' && !run.permissionsEnforced) continue; // no permissions to enforce here
      const name = `${testCase.input} (${JSON.stringify(testCase.relPath)}${testCase.line ? `, line ${testCase.line}` : ''})`;
      assert.equal(outcome, testCase.expect, `${name}: got "${outcome}" with message ${JSON.stringify(message)}`);
      if (testCase.message) assert.match(message, testCase.message, `${name}: got ${JSON.stringify(message)}`);
      else assert.equal(message, '', `${name} is used without a message`);
    }
  });

  it('finishes the run and embeds every valid image, listing only the inputs that are expected to fail', () => {
    const expectedFailures = run.observations.filter((o) => o.testCase.expect === 'decode-failed').map((o) => o.testCase.relPath).sort();
    assert.deepEqual(run.result.failed.map((f) => f.relPath), expectedFailures);
    const valid = run.scan.images.filter((image) => !expectedFailures.includes(image.relPath));
    assert.equal(run.result.embedded + run.result.fromCache, valid.length, 'every image that is not expected to fail was embedded');
    assert.ok(run.result.failed.every((f) => f.message.length > 0 && !f.message.includes('\n')), 'failure messages are one line each');
  });

  it('reads the manifest despite BOM, CRLF and quoting, and keeps the good rows', () => {
    const plain = run.scan.images.find((image) => image.relPath === 'cat/plain.png');
    assert.deepEqual([plain?.label, plain?.labelSource], [QUOTED_MANIFEST_LABEL, 'manifest']);
    // Line 2, and line 7, which is well formed but names a missing file (reported, not an error).
    assert.equal(run.scan.manifest?.rows, 2, 'only the well-formed rows inside the root are used');
  });

  it('embeds the EXIF-rotated photo as it is shown, not as it is stored, and thumbnails it upright', () => {
    const { toUpright, toStoredWithoutTag } = run.rotation;
    assert.ok(Number.isFinite(toUpright) && Number.isFinite(toStoredWithoutTag), 'all three versions were embedded');
    assert.ok(toUpright < toStoredWithoutTag / 4, `distance to the upright copy ${toUpright.toFixed(3)}, to the untagged stored pixels ${toStoredWithoutTag.toFixed(3)}`);
    // chelsea.png is 451x300 (landscape); stored rotated it is portrait, shown upright it is landscape again.
    assert.ok(run.exifThumbnail.width > run.exifThumbnail.height, `thumbnail is ${run.exifThumbnail.width}x${run.exifThumbnail.height}`);
  });

  it('refuses labels that are not valid folder names, saying why', async () => {
    for (const { label, message } of await observeFolderLabels(fixture.root, 'cat/plain.jpg')) {
      assert.notEqual(message, '', `${JSON.stringify(label)} should be refused`);
      assert.ok(message.length < 400 && /folder|Windows|control|dot|space|empty|longer|unlabel/.test(message), `${JSON.stringify(label)}: ${message}`);
    }
  });
});
