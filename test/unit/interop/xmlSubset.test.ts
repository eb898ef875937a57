import assert from 'node:assert/strict';
import { childrenNamed, escapeXml, parseXml, XmlSyntaxError } from '../../../src/core/interop/xmlSubset';

describe('xmlSubset', () => {
  it('reads elements, both quote styles, entities, comments, CDATA and a declaration', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<!-- made by hand -->\n<a x="1 &amp; 2" y=\'&lt;b&gt; &#233;&#x4E2D;\'>\n' +
        '  <b/><b z = "&quot;q&quot;">t&apos;x<![CDATA[<raw & text>]]></b><!-- inside -->\n</a >\n',
    );
    assert.equal(root.name, 'a');
    assert.equal(root.attributes.get('x'), '1 & 2');
    assert.equal(root.attributes.get('y'), '<b> é中');
    const bs = childrenNamed(root, 'b');
    assert.equal(bs.length, 2);
    assert.equal(bs[1].attributes.get('z'), '"q"');
    assert.equal(bs[1].text, "t'x<raw & text>");
  });

  it('round-trips what escapeXml writes', () => {
    const awkward = `a<b>&"c'd&amp;`;
    assert.equal(parseXml(`<t v="${escapeXml(awkward)}">${escapeXml(awkward)}</t>`).attributes.get('v'), awkward);
    assert.equal(parseXml(`<t>${escapeXml(awkward)}</t>`).text, awkward);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['an empty document', '', /empty/],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', /DOCTYPE/],
    ['a mismatched end tag', '<a><b></a></b>', /<\/a> closes <b>/],
    ['an unclosed element', '<a><b>', /never closed/],
    ['an unquoted attribute', '<a x=1/>', /must be quoted/],
    ['a duplicate attribute', '<a x="1" x="2"/>', /twice/],
    ['an unknown entity', '<a>&nbsp;</a>', /unknown entity/],
    ['a bare ampersand', '<a>fish & chips</a>', /&amp;/],
    ['a second root', '<a/><b/>', /after the root/],
    ['text before the root', 'hello <a/>', /root element/],
    ['a NUL character reference', '<a>&#0;</a>', /not a character/],
    ['"<" in an attribute', '<a x="<"/>', /"<"/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what} with its line`, () => {
      assert.throws(() => parseXml(text), (error: unknown) => error instanceof XmlSyntaxError && message.test(error.message) && error.line >= 1);
    });
  }

  it('names the line of the fault', () => {
    assert.throws(() => parseXml('<a>\n<b>\n</c>\n</a>'), (error: unknown) => error instanceof XmlSyntaxError && error.line === 3);
  });
});
