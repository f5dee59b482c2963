import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson, RawNumber, stringifyJson } from '../src';

const roundTrip = (text: string): string => {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return stringifyJson(parsed.value);
};

describe('parseJson / stringifyJson', () => {
  it('agrees with JSON.parse on ordinary documents', () => {
    const doc = { a: [1, -2.5, 3e-7, true, false, null, 'é\n"\\'], b: { c: {} }, '': 0, 'k\u2028': 'π' };
    const parsed = parseJson(JSON.stringify(doc));
    expect(parsed.ok && parsed.value).toEqual(doc);
    expect(parsed.ok && parsed.issues).toEqual([]);
  });

  it('keeps numbers a double cannot hold exactly, digit for digit', () => {
    for (const n of [
      '12345678901234567890',
      '-9007199254740993',
      '1e400',
      '-1e400',
      '0.10000000000000000001',
    ])
      expect(roundTrip(`{"x":${n}}`)).toBe(`{"x":${n}}`);
    const parsed = parseJson('[9007199254740993, 9007199254740991, 1e-200]');
    expect(parsed.ok && parsed.value).toEqual([new RawNumber('9007199254740993'), 9007199254740991, 1e-200]);
  });

  it('treats "__proto__" and "constructor" as ordinary keys', () => {
    const parsed = parseJson('{"__proto__":{"polluted":1},"constructor":{"prototype":2}}');
    if (!parsed.ok) throw new Error(parsed.message);
    const value = parsed.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    expect(stringifyJson(value)).toBe('{"__proto__":{"polluted":1},"constructor":{"prototype":2}}');
  });

  it('names duplicate keys and too-deep nesting by path instead of failing the document', () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 5)}${']'.repeat(MAX_JSON_DEPTH + 5)}`;
    const parsed = parseJson(`{"events":[{"a":1,"a":2},{"d":${deep}},{"ok":true}]}`);
    expect(parsed.ok && parsed.issues.map((i) => i.path.replace(/(\.0)+$/, '…'))).toEqual([
      'events.0.a',
      'events.1.d…',
    ]);
  });

  it('survives nesting far beyond the stack (a 400 for that event, never a crash)', () => {
    const depth = 200_000;
    const parsed = parseJson(`[${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}]`);
    expect(parsed.ok && parsed.issues).toHaveLength(1);
  });

  it.each(['', '{', '{"a":}', '[1,]', '{"a":1,}', "{'a':1}", '[01]', '"\\x"', '"a\nb"', 'nul', '1 2', '[-]'])(
    'rejects malformed JSON %j',
    (text) => {
      expect(parseJson(text).ok).toBe(false);
    },
  );

  it('writes lone surrogates as escapes, so the text is valid UTF-8', () => {
    const parsed = parseJson('"a\\ud800b"');
    const text = parsed.ok ? stringifyJson(parsed.value) : '';
    expect(text).toBe('"a\\ud800b"');
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
  });

  it('sorts keys for a canonical form', () => {
    expect(stringifyJson({ b: 1, a: { d: 1, c: 2 } }, { sortKeys: true })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });
});
