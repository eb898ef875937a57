import assert from 'node:assert/strict';
import { folderLabelProblem, manifestLabelProblem } from '../../../src/core/labels';

describe('label validation', () => {
  it('accepts ordinary class names as folder names, Unicode included', () => {
    for (const label of ['cat', 'Golden Retriever', '7', 'été', '犬', 'a.b', 'x-y_z (1)']) {
      assert.equal(folderLabelProblem(label, 'unlabeled'), undefined, label);
    }
  });

  it('refuses folder names some operating system cannot hold, and says why', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['.', /not a usable folder name/],
      ['..', /not a usable folder name/],
      ['a/b', /contains "\/"/],
      ['a\\b', /contains "\\"/],
      ['a:b', /contains ":"/],
      ['what?', /contains "\?"/],
      ['star*', /contains "\*"/],
      ['"q"', /contains """/],
      ['<a>', /contains "<"/],
      ['a|b', /contains "\|"/],
      ['tab\there', /control character/],
      ['line\nbreak', /control character/],
      ['dot.', /ends with a dot or a space/],
      ['space ', /ends with a dot or a space/],
      [' lead', /white space/],
      ['CON', /reserved by Windows/],
      ['nul.txt', /reserved by Windows/],
      ['com1', /reserved by Windows/],
      ['LPT9', /reserved by Windows/],
      ['.hidden', /starts with a dot/],
      ['node_modules', /not scanned/],
      ['é'.repeat(128), /longer than 255 bytes/],
      ['Unlabeled', /folder for unlabelled images/],
    ];
    for (const [label, why] of cases) {
      const problem = folderLabelProblem(label, 'unlabeled');
      assert.ok(problem, `${JSON.stringify(label)} is refused`);
      assert.match(problem, why, JSON.stringify(label));
    }
  });

  it('allows a 255-byte name and names that merely contain a reserved word', () => {
    assert.equal(folderLabelProblem('a'.repeat(255), 'unlabeled'), undefined);
    assert.equal(folderLabelProblem('console', 'unlabeled'), undefined);
    assert.equal(folderLabelProblem('com10', 'unlabeled'), undefined);
  });

  it('lets manifests hold any non-empty single-line label', () => {
    for (const label of ['a/b', 'CON', 'what?', 'dot.', 'unlabeled', 'x,y "z"']) assert.equal(manifestLabelProblem(label), undefined, label);
    assert.match(manifestLabelProblem('') ?? '', /empty/);
    assert.match(manifestLabelProblem('   ') ?? '', /empty/);
    assert.match(manifestLabelProblem('two\nlines') ?? '', /line break/);
    assert.match(manifestLabelProblem(' padded') ?? '', /white space/);
  });
});
