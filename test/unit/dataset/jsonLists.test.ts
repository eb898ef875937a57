// The byte-level reader a scan uses for COCO files, checked against JSON.parse: on generated
// documents (random nesting, escapes, unicode, number forms, whitespace, repeated keys), on
// awkward hand-written ones, and on the same documents broken (truncated, a byte changed), where
// both must refuse, or both accept and agree.
import * as assert from 'node:assert/strict';
import { JsonSyntaxError, readJsonLists, type KeptFields, type KeptLists } from '../../../src/core/dataset/jsonLists';
import { parseCocoInstances, readCocoInstancesForScan, cocoInstanceClasses, type CocoReadResult } from '../../../src/core/dataset/cocoInstances';
import { SeededRandom } from '../../../src/core/math/seededRandom';

const KEEP: KeptFields = { images: ['id', 'file_name'], annotations: ['image_id', 'category_id'], categories: ['id', 'name'] };

/** What readJsonLists should give, worked out from JSON.parse's object. */
function expected(bytes: Buffer, keep: KeptFields): KeptLists | null {
  const json: unknown = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(json)) return null;
  const result: KeptLists = {};
  for (const [list, fields] of Object.entries(keep)) {
    if (!Object.hasOwn(json, list)) continue;
    const value = json[list];
    result[list] = !Array.isArray(value)
      ? null
      : value.map((entry) => {
          if (!isObject(entry)) return null;
          const kept: Record<string, string | number | null> = {};
          for (const field of fields) {
            if (!Object.hasOwn(entry, field)) continue;
            const v = entry[field];
            kept[field] = typeof v === 'string' || typeof v === 'number' ? v : null;
          }
          return kept;
        });
  }
  return result;
}

type Outcome = { threw: true } | { threw: false; value: unknown };
const attempt = (read: () => unknown): Outcome => {
  try {
    return { threw: false, value: read() };
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof JsonSyntaxError) return { threw: true };
    throw error;
  }
};

/** Both refuse, or both accept and agree (strictly: -0 and 0 differ). */
function assertSameAsJsonParse(bytes: Buffer, what: string): Outcome {
  const mine = attempt(() => readJsonLists(bytes, KEEP));
  const theirs = attempt(() => expected(bytes, KEEP));
  assert.equal(mine.threw, theirs.threw, `${what}: readJsonLists ${mine.threw ? 'refused' : 'accepted'} and JSON.parse ${theirs.threw ? 'refused' : 'accepted'} ${JSON.stringify(bytes.toString('utf8').slice(0, 300))}`);
  if (!mine.threw && !theirs.threw) assert.deepStrictEqual(mine.value, theirs.value, what);
  return mine;
}

/** Random JSON text, written by hand so keys can repeat and strings can be escaped in every legal way. */
function generator(seed: number) {
  const random = new SeededRandom(seed);
  const next = (): number => random.next();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const space = (): string => (next() < 0.6 ? '' : pick([' ', '\n', '\t', '\r\n', '  \n\t ']));
  const stringChars = ['a', 'Z', '0', ' ', '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0001', '\u001f', 'é', 'ß', '中', '😀', '\ud800', '\udc00', '\u2028', '\u007f', '\ufeff', '_'];
  const quote = (text: string): string => {
    let out = '"';
    for (const char of text) {
      const code = char.charCodeAt(0);
      const forced = char === '"' || char === '\\' || code < 0x20 || (char.length === 1 && code >= 0xd800 && code <= 0xdfff);
      if (forced || next() < 0.2) {
        const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
        if (short[char] && next() < 0.7) out += short[char];
        else for (let k = 0; k < char.length; k++) out += `\\u${char.charCodeAt(k).toString(16).padStart(4, '0')}`.replace(/[a-f]/g, (h) => (next() < 0.5 ? h.toUpperCase() : h));
      } else out += char;
    }
    return out + '"';
  };
  const text = (): string => Array.from({ length: Math.floor(next() * 6) }, () => pick(stringChars)).join('');
  const number = (): string =>
    pick([
      () => String(Math.floor(next() * 1000)),
      () => `-${Math.floor(next() * 1000)}`,
      () => '0',
      () => '-0',
      () => `${Math.floor(next() * 100)}.${Math.floor(next() * 1000)}`,
      () => `${1 + Math.floor(next() * 9)}e${Math.floor(next() * 5)}`,
      () => `${1 + Math.floor(next() * 9)}.5E+${Math.floor(next() * 3)}`,
      () => `-${Math.floor(next() * 9)}.25e-${Math.floor(next() * 3)}`,
      () => '1e400',
      () => '9007199254740993',
      () => '123456789012345678901234567890',
      () => '1.0',
    ])();
  const value = (depth: number): string => {
    const kind = next();
    if (depth > 4 || kind < 0.35) return pick([number, () => quote(text()), () => 'true', () => 'false', () => 'null'])();
    if (kind < 0.65) return `[${space()}${Array.from({ length: Math.floor(next() * 4) }, () => space() + value(depth + 1) + space()).join(',')}]`;
    return object(depth, ['id', 'name', 'file_name', 'x']);
  };
  const keyText = (key: string): string => (next() < 0.15 ? quote(key).replace('_', '\\u005f') : quote(key));
  const object = (depth: number, keys: readonly string[]): string =>
    `{${space()}${Array.from({ length: Math.floor(next() * 5) }, () => `${space()}${keyText(pick(keys))}${space()}:${space()}${value(depth + 1)}${space()}`).join(',')}}`;
  const entry = (fields: readonly string[]): string => {
    if (next() < 0.1) return value(3);
    const members = Array.from({ length: Math.floor(next() * 5) }, () => {
      const key = pick([...fields, 'segmentation', 'bbox', 'area']);
      const v = fields.includes(key) && next() < 0.7 ? (next() < 0.5 ? number() : quote(text())) : value(1);
      return `${space()}${keyText(key)}${space()}:${space()}${v}`;
    });
    return `{${members.join(',')}${space()}}`;
  };
  const list = (fields: readonly string[]): string => (next() < 0.1 ? value(2) : `[${Array.from({ length: Math.floor(next() * 5) }, () => space() + entry(fields) + space()).join(',')}]`);
  return (): string => {
    if (next() < 0.05) return space() + value(0) + space();
    const members = Array.from({ length: Math.floor(next() * 6) }, () => {
      const list_ = pick(['images', 'annotations', 'categories', 'info', 'licenses']);
      const v = list_ in KEEP ? list(KEEP[list_]!) : value(1);
      return `${space()}${keyText(list_)}${space()}:${space()}${v}`;
    });
    return `${next() < 0.1 ? '\ufeff' : ''}${space()}{${members.join(',')}${space()}}${space()}`;
  };
}

describe('dataset/reading lists out of large JSON files', () => {
  it('reads the kept fields exactly as JSON.parse would, on 3,000 generated documents', () => {
    const documents = generator(7);
    for (let n = 0; n < 3000; n++) {
      const text = documents();
      const outcome = assertSameAsJsonParse(Buffer.from(text, 'utf8'), `document ${n}`);
      assert.ok(!outcome.threw, `document ${n} is valid JSON: ${text}`);
    }
  });

  it('refuses what JSON.parse refuses, and agrees on what it accepts, when documents are cut short or have a byte changed', () => {
    const documents = generator(11);
    const random = new SeededRandom(5);
    const next = (): number => random.next();
    const bytes = [0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x20, 0x30, 0x2d, 0x2e, 0x65, 0x2b, 0x75, 0x41, 0x00, 0x0a, 0x0b, 0xff, 0xc3, 0x74, 0x6e];
    let refused = 0;
    for (let n = 0; n < 3000; n++) {
      const whole = Buffer.from(documents(), 'utf8');
      const cut = whole.subarray(0, Math.floor(next() * whole.length));
      refused += assertSameAsJsonParse(cut, `document ${n} cut to ${cut.length} bytes`).threw ? 1 : 0;
      const changed = Buffer.from(whole);
      changed[Math.floor(next() * changed.length)] = bytes[Math.floor(next() * bytes.length)]!;
      refused += assertSameAsJsonParse(changed, `document ${n} with a byte changed`).threw ? 1 : 0;
    }
    assert.ok(refused > 2000, `most broken documents are refused (${refused} of 6000)`);
  });

  it('agrees with JSON.parse on awkward documents', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const accepted = [
      '{}',
      ' \t\r\n{ } \n',
      '\ufeff{"images": []}',
      '[1, {"images": []}]',
      '"just a string"',
      '-0.5e-3',
      'null',
      '{"images": [1, "x", null, true, [], {"id": 1e0, "file_name": "a\\u0062\\/c"}]}',
      '{"images": {"id": 1}, "annotations": 3, "categories": null}',
      '{"images": [{"id": 1, "id": "two", "file_name": "a", "file_name": {"x": 1}}]}',
      '{"images": [{"id": 1}], "images": [{"id": 2}]}',
      '{"images": [{"file\\u005fname": "escaped key", "id": -0}]}',
      '{"images": [{"file_name": "\\ud83d\\ude00 \\ud800 \\udc00 \\u00e9 é 中"}]}',
      '{"images": [{"file_name": "\\"\\\\\\/\\b\\f\\n\\r\\t"}]}',
      '{"annotations": [{"image_id": 1E+2, "category_id": 12.50e1, "segmentation": [[1.5, 2e-7, -0, 3E2]]}]}',
      '{"annotations": [{"image_id": 123456789012345678901234567890, "category_id": 1e400}]}',
      `{"info": ${deep}, "images": [{"x": ${deep}, "id": 3}]}`,
      '{"info": {"a": {"b": {"c": [{"d": [[], {}, [{}]]}]}}}, "categories": [{"name": "n", "id": 1, "supercategory": {"nested": ["x"]}}]}',
      '{"__proto__": [], "images": [{"__proto__": 1, "id": 1}]}',
      '{"images": [{"file_name": "\u2028\u2029\u007f"}]}',
    ];
    for (const text of accepted) assert.ok(!assertSameAsJsonParse(Buffer.from(text, 'utf8'), text.slice(0, 80)).threw, text.slice(0, 80));
    const refused = [
      '',
      '   ',
      '{',
      '{"images": [',
      '{"images": [{"id": 1,}]}',
      '{"images": [1,]}',
      '{"images": [1 2]}',
      '{"images" [1]}',
      '{images: []}',
      "{'images': []}",
      '{"images": [01]}',
      '{"images": [-]}',
      '{"images": [1.]}',
      '{"images": [.5]}',
      '{"images": [+1]}',
      '{"images": [1e]}',
      '{"images": [1e+]}',
      '{"images": [NaN]}',
      '{"images": [Infinity]}',
      '{"images": [tru]}',
      '{"images": [nul]}',
      '{"images": ["a\u0001b"]}',
      '{"images": ["a\u001fb"]}',
      '{"images": ["a\\xb"]}',
      '{"images": ["\\u12G4"]}',
      '{"images": ["\\u12"]}',
      '{"images": ["unterminated]}',
      '{"images": []} extra',
      '{"images": []}{}',
      '\ufeff\ufeff{}',
      '{"images": [\u00a0]}',
      '{"images":\u000b[]}',
      '{"a": 1 /* comment */}',
      `{"info": ${'['.repeat(100)}${']'.repeat(99)}}`,
      '{"images": [{"id": 1}}',
      '{"images": [{"id": 1]]}',
      '{"images": [{"id"}]}',
      '{"images": [{"id": }]}',
    ];
    for (const text of refused) assert.ok(assertSameAsJsonParse(Buffer.from(text, 'utf8'), text.slice(0, 80)).threw, text.slice(0, 80));
  });

  it('says what is wrong and where', () => {
    const at = (text: string): string => {
      try {
        readJsonLists(Buffer.from(text), KEEP);
      } catch (error) {
        assert.ok(error instanceof JsonSyntaxError);
        return error.message;
      }
      assert.fail(`${text} was accepted`);
    };
    assert.equal(at('{"images": [\n{"id": 1,'), 'the end of the file where a key goes (a string) at byte 22, line 2');
    assert.equal(at('{"images": ["open'), 'the end of the file inside a string at byte 17, line 1');
    assert.equal(at('{"images": [1 2]}'), '"2" where a list goes on ("," or "]") at byte 14, line 1');
    assert.equal(at('{"a": [1.]}'), 'a number without digits after its "." at byte 9, line 1');
    assert.equal(at('{}\n\nx'), 'content after the end of the document at byte 4, line 3');
  });

  it('gives a COCO file the same images, classes and problems as the whole-file parse', () => {
    const same = (text: string): void => {
      const whole = parseCocoInstances(text, 'annotations/instances_x.json');
      const read = readCocoInstancesForScan(Buffer.from(text, 'utf8'), 'annotations/instances_x.json');
      const view = (result: CocoReadResult) =>
        result.ok
          ? {
              images: result.instances.images.map((image) => [image.id, image.fileName, cocoInstanceClasses(result.instances, image)]),
              categories: [...result.instances.categories],
              problems: result.problems,
            }
          : { refused: result.problem.kind, message: result.problem.message.replace(/\(.*\)/, '(...)') };
      assert.deepEqual(view(read), view(whole), text.slice(0, 200));
    };
    same(
      JSON.stringify({
        info: { year: 2026 },
        images: [{ id: 1, file_name: 'a.png', width: 4 }, { id: 1, file_name: 'b.png' }, { id: 2, file_name: 'a.png' }, { id: 'x', file_name: 'c.png' }, { id: 3, file_name: 'd.png' }, { id: 4.5, file_name: 'e.png' }, 7, { id: 9, file_name: '  ' }],
        annotations: [{ image_id: 1, category_id: 1, segmentation: [[1, 2, 3, 4]] }, { image_id: 1, category_id: 9 }, { image_id: 7, category_id: 1 }, { image_id: 3 }, { image_id: 3, category_id: 2 }, null, { image_id: 3, category_id: '2' }],
        categories: [{ id: 1, name: 'cat' }, { id: 1, name: 'lion' }, { id: 2, name: ' dog ' }, { name: 'nameless' }, { id: 3, name: '' }, []],
      }),
    );
    for (const text of ['{"images": [', '[1]', '{"images": [], "annotations": []}', '{"images": {}, "annotations": [], "categories": []}', '{"images": [], "annotations": [], "categories": [{"id": 1, "name": "a"}], "images": 1}']) same(text);
    const documents = generator(23);
    for (let n = 0; n < 500; n++) {
      const text = documents();
      same(text);
    }
  });
});
