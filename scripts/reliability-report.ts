// Prints the bad-input table of docs/reliability.md: builds the same fixture the reliability test
// uses, runs scan + embed over it (real bundled model, CPU) and says, per input, what happened and
// what the user was told. Run: node esbuild.mjs && node dist/scripts/reliability-report.js
import { join } from 'node:path';
import { EncoderCache } from '../src/core/embed/encoderCache';
import { makeBadInputs, type ExpectedOutcome } from '../test/fixtures/badInputs';
import { bundledModelDir, tempDir } from '../test/support/paths';
import { observeBadInputs, observeFolderLabels, type Observation } from '../test/system/reliability/observeBadInputs';

const OUTCOME_WORDS: Record<ExpectedOutcome | 'vanished', string> = {
  embedded: 'embedded',
  'embedded-with-warning': 'embedded, with a scan warning',
  'left-out': 'left out by the scan (error)',
  'decode-failed': 'listed as failed by Compute Embeddings; the run goes on',
  'not-followed': 'not followed (scan warning)',
  'row-reported': 'row reported; the other rows are used',
  vanished: '**dropped without a message**',
};

async function main(): Promise<void> {
  const { dir, cleanup } = await tempDir('reliability-report');
  const encoders = new EncoderCache();
  try {
    const fixture = await makeBadInputs(dir);
    const run = await observeBadInputs(fixture, {
      encoders,
      cacheDir: join(dir, 'cache'),
      model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
    });
    const lines = ['| Input | File | As expected | What happened | Message |', '|---|---|---|---|---|'];
    for (const observation of run.observations) lines.push(row(observation, dir));
    const folderLabels = await observeFolderLabels(fixture.root, 'cat/plain.jpg');
    for (const { label, message } of folderLabels) {
      const shown = label.length > 40 ? `${label.slice(0, 12)}… (${label.length} chars)` : label;
      lines.push(`| label not valid as a folder name | ${cell(JSON.stringify(shown))} | ${message ? 'yes' : 'NO'} | ${message ? 'refused, nothing moved' : 'accepted'} | ${cell(message)} |`);
    }
    const tried = run.observations.length + folderLabels.length;
    const unexpected = run.observations.filter((o) => o.outcome !== o.testCase.expect).length;
    console.log(lines.join('\n'));
    console.log();
    console.log(`${tried} inputs tried; ${unexpected} handled other than expected. Compute Embeddings finished: ${run.result.embedded} images embedded, ${run.result.failed.length} listed as failed.`);
    console.log(
      `EXIF orientation 6: embedding distance to the upright copy ${run.rotation.toUpright.toFixed(3)}, ` +
        `to the same pixels without the tag ${run.rotation.toStoredWithoutTag.toFixed(3)}; grid thumbnail ${run.exifThumbnail.width}x${run.exifThumbnail.height} (the photo is 451x300).`,
    );
    if (!run.permissionsEnforced) console.log('File permissions were not enforced for this user: the unreadable-file row is not meaningful here.');
  } finally {
    await encoders.dispose();
    await cleanup();
  }
}

function row({ testCase, outcome, message }: Observation, fixtureDir: string): string {
  const file = testCase.line === undefined ? testCase.relPath : `${testCase.relPath}, line ${testCase.line}`;
  const asExpected = outcome === testCase.expect && (!testCase.message || testCase.message.test(message)) ? 'yes' : 'NO';
  // Absolute temp paths differ on every run; show them relative to the fixture.
  const shownMessage = message.split(`${fixtureDir}/`).join('<fixture>/');
  return `| ${cell(testCase.input)} | ${cell(JSON.stringify(file).slice(1, -1))} | ${asExpected} | ${OUTCOME_WORDS[outcome]} | ${cell(shownMessage || '(none)')} |`;
}

/** Markdown table cell: pipes escaped, line breaks shown as \n. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '\\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
