/**
 * A strict JSON reader and writer for what producers send. `JSON.parse` silently rounds 64-bit
 * integers, turns 1e400 into Infinity and 1e-200 into a number no store can hold, lets the last
 * of two equal keys win, and recurses without bound. Heed keeps unknown fields verbatim, so it
 * reads JSON itself: a number that a double cannot hold exactly stays a `RawNumber` with the text
 * the producer wrote, duplicate keys and deep nesting are reported by path (never thrown), and
 * `stringifyJson` writes raw numbers back exactly as they came.
 */

/** A JSON number a double cannot represent exactly, kept as its source text. */
export class RawNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | RawNumber
  | JsonValue[]
  | { [key: string]: JsonValue };

export interface JsonIssue {
  readonly path: string;
  readonly message: string;
}

export type JsonParse = { ok: true; value: JsonValue; issues: JsonIssue[] } | { ok: false; message: string };

/** Deeper structures are not kept (reported as an issue at their path): no store nests without bound. */
export const MAX_JSON_DEPTH = 64;

class SyntaxFault extends Error {}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Decimal digits and exponent of a JSON number text, normalized: "1.50e2" and "150" agree. */
const decimal = (text: string): string => {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  let digits = `${int}${frac}`.replace(/^0+/, '');
  let exponent = Number(exp) - frac.length;
  if (digits === '') return '0';
  const trailing = /0*$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return `${sign}${digits}e${exponent}`;
};

/** Is the double nearest to `text` exactly the number written? */
const exact = (text: string, value: number): boolean =>
  Number.isFinite(value) && decimal(text) === decimal(value === 0 ? '0' : numberText(value));

/** A double's shortest round-trip text, without JavaScript's "1e+21" plus sign. */
const numberText = (value: number): string => String(value).replace('e+', 'e');

/**
 * Parses JSON text. Syntax errors fail the whole parse; what is well-formed but cannot be kept
 * (a duplicate key, nesting beyond MAX_JSON_DEPTH) is listed in `issues` with its path, so a
 * batch can reject only the event it belongs to.
 */
export const parseJson = (text: string): JsonParse => {
  let i = 0;
  const issues: JsonIssue[] = [];
  const fail = (what: string): never => {
    throw new SyntaxFault(`${what} at position ${i}`);
  };
  const skip = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const str = (): string => {
    // text[i] is the opening quote
    i++;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('unescaped control character in string');
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
        } else {
          const map: Record<string, string> = {
            '"': '"',
            '\\': '\\',
            '/': '/',
            b: '\b',
            f: '\f',
            n: '\n',
            r: '\r',
            t: '\t',
          };
          const v = e === undefined ? undefined : map[e];
          if (v === undefined) fail('bad escape');
          out += v;
          i += 2;
        }
        start = i;
        continue;
      }
      i++;
    }
  };
  const num = (): number | RawNumber => {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const match = m.exec(text);
    if (!match) return fail('bad number');
    const t = match[0];
    i += t.length;
    const value = Number(t);
    return exact(t, value) ? value : new RawNumber(t);
  };
  const lit = (word: string, value: JsonValue): JsonValue => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail('unexpected token');
  };
  /**
   * Checks the syntax of a value that is not kept (too deep), without recursion: a producer can
   * nest 100,000 levels in 256 KB, and that must be a 400 for its event, not a stack overflow.
   */
  const key = (): void => {
    skip();
    if (text[i] !== '"') fail('expected a string key');
    str();
    skip();
    if (text[i] !== ':') fail("expected ':'");
    i++;
  };
  const skipValue = (): void => {
    const open: string[] = [];
    for (;;) {
      skip();
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        skip();
        const close = c === '{' ? '}' : ']';
        if (text[i] === close) i++;
        else {
          open.push(close);
          if (c === '{') key();
          continue;
        }
      } else if (c === '"') str();
      else if (c === 't') lit('true', true);
      else if (c === 'f') lit('false', false);
      else if (c === 'n') lit('null', null);
      else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) num();
      else fail(c === undefined ? 'unexpected end of input' : 'unexpected token');
      // A value is complete: close what it completes, or go on to the next member.
      for (;;) {
        const close = open.at(-1);
        if (close === undefined) return;
        skip();
        if (text[i] === close) {
          i++;
          open.pop();
        } else if (text[i] === ',') {
          i++;
          if (close === '}') key();
          break;
        } else fail(`expected ',' or '${close}'`);
      }
    }
  };
  const value = (path: string[], depth: number): JsonValue => {
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= MAX_JSON_DEPTH) {
        issues.push({ path: pathOf(path), message: `nested deeper than ${MAX_JSON_DEPTH} levels` });
        skipValue();
        return null;
      }
      return c === '{' ? object(path, depth) : array(path, depth);
    }
    if (c === '"') return str();
    if (c === 't') return lit('true', true);
    if (c === 'f') return lit('false', false);
    if (c === 'n') return lit('null', null);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num();
    return fail(c === undefined ? 'unexpected end of input' : 'unexpected token');
  };
  const object = (path: string[], depth: number): JsonValue => {
    i++;
    // Own data properties only: a "__proto__" key is an ordinary key, never a prototype.
    const out: { [key: string]: JsonValue } = {};
    const seen = new Set<string>();
    skip();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skip();
      if (text[i] !== '"') fail('expected a string key');
      const name = str();
      skip();
      if (text[i] !== ':') fail("expected ':'");
      i++;
      const v = value([...path, name], depth + 1);
      if (seen.has(name)) issues.push({ path: pathOf([...path, name]), message: 'duplicate key' });
      seen.add(name);
      Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      fail("expected ',' or '}'");
    }
  };
  const array = (path: string[], depth: number): JsonValue => {
    i++;
    const out: JsonValue[] = [];
    skip();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      const v = value([...path, String(out.length)], depth + 1);
      out.push(v);
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return out;
      }
      fail("expected ',' or ']'");
    }
  };
  try {
    const v = value([], 0);
    skip();
    if (i < text.length) fail('unexpected data after the JSON value');
    return { ok: true, value: v, issues };
  } catch (error) {
    if (error instanceof SyntaxFault) return { ok: false, message: error.message };
    throw error;
  }
};

const pathOf = (path: readonly string[]): string => path.join('.') || '(root)';

/**
 * Writes JSON like `JSON.stringify`, except that a `RawNumber` is written as its text (so a
 * 64-bit id comes back digit for digit) and keys are optionally sorted (a canonical form).
 */
export const stringifyJson = (value: unknown, options: { sortKeys?: boolean } = {}): string => {
  const write = (v: unknown): string => {
    if (v instanceof RawNumber) return v.text;
    if (v === null || typeof v !== 'object') {
      const s = JSON.stringify(v);
      return s === undefined ? 'null' : s;
    }
    if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : write(x))).join(',')}]`;
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
    if (options.sortKeys) keys.sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${write((v as Record<string, unknown>)[k])}`).join(',')}}`;
  };
  return write(value);
};

/** True when `s` has no lone surrogate (it can be encoded as UTF-8 and stored). */
export const isWellFormed = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
};
