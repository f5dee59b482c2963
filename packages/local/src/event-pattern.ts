/**
 * An EventBridge event-pattern matcher, for the local bus and the local stream filter (Lambda
 * event filtering uses the same syntax). Semantics follow the EventBridge documentation:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * - a pattern is an object; every key must match (AND); `$or` takes a list of sub-patterns;
 * - a leaf is an array of matchers, any of which may match (OR);
 * - when the event value is an array, the leaf matches if any element matches;
 * - matchers: literal string / number / boolean / null (exact, numbers by value), `prefix`,
 *   `suffix` (both optionally with `equals-ignore-case`), `anything-but` (value, list, prefix,
 *   suffix, wildcard, equals-ignore-case), `numeric` (comparison pairs), `exists`,
 *   `equals-ignore-case`, `wildcard` (`*`, `\*` for a literal star) and `cidr`.
 */
export type EventPattern = { readonly [key: string]: unknown };

export class InvalidPatternError extends Error {
  override readonly name = 'InvalidPatternError';
}

type Json = unknown;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isLeaf = (v: unknown): boolean => !isObject(v) && !Array.isArray(v);

const wildcardRegExp = (pattern: string): RegExp => {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      source += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '*') {
      source += '.*';
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
};

const ipv4ToInt = (ip: string): number | null => {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let out = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    out = out * 256 + Number(part);
  }
  return out;
};

const inCidr = (value: unknown, cidr: unknown): boolean => {
  if (typeof value !== 'string' || typeof cidr !== 'string') return false;
  const [net, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const netInt = ipv4ToInt(net ?? '');
  const ipInt = ipv4ToInt(value);
  if (netInt === null || ipInt === null || !(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ipInt / size) === Math.floor(netInt / size);
};

/** `prefix` / `suffix` take a string or `{ "equals-ignore-case": string }`. */
const affix = (value: unknown, spec: unknown, test: (v: string, s: string) => boolean): boolean => {
  if (typeof value !== 'string') return false;
  if (typeof spec === 'string') return test(value, spec);
  if (isObject(spec) && typeof spec['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), spec['equals-ignore-case'].toLowerCase());
  }
  throw new InvalidPatternError(`prefix/suffix needs a string, got ${JSON.stringify(spec)}`);
};

const numericMatch = (value: unknown, spec: unknown): boolean => {
  if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0) {
    throw new InvalidPatternError(`numeric needs operator/value pairs, got ${JSON.stringify(spec)}`);
  }
  if (typeof value !== 'number') return false;
  for (let i = 0; i < spec.length; i += 2) {
    const op = spec[i];
    const bound = spec[i + 1];
    if (typeof bound !== 'number') throw new InvalidPatternError(`numeric bound must be a number: ${bound}`);
    const ok =
      op === '='
        ? value === bound
        : op === '<'
          ? value < bound
          : op === '<='
            ? value <= bound
            : op === '>'
              ? value > bound
              : op === '>='
                ? value >= bound
                : undefined;
    if (ok === undefined) throw new InvalidPatternError(`unknown numeric operator ${JSON.stringify(op)}`);
    if (!ok) return false;
  }
  return true;
};

const literalMatch = (value: unknown, literal: unknown): boolean => value === literal;

const anythingBut = (value: unknown, spec: unknown): boolean => {
  if (value === undefined) return false;
  if (Array.isArray(spec)) return spec.every((s) => !literalMatch(value, s));
  if (isObject(spec)) {
    if ('prefix' in spec)
      return typeof value === 'string' && !affix(value, spec.prefix, (v, s) => v.startsWith(s));
    if ('suffix' in spec)
      return typeof value === 'string' && !affix(value, spec.suffix, (v, s) => v.endsWith(s));
    if ('wildcard' in spec) {
      const list = Array.isArray(spec.wildcard) ? spec.wildcard : [spec.wildcard];
      return typeof value === 'string' && list.every((w) => !wildcardRegExp(String(w)).test(value));
    }
    if ('equals-ignore-case' in spec) {
      const raw = spec['equals-ignore-case'];
      const list = Array.isArray(raw) ? raw : [raw];
      return typeof value === 'string' && list.every((s) => String(s).toLowerCase() !== value.toLowerCase());
    }
    throw new InvalidPatternError(`unsupported anything-but ${JSON.stringify(spec)}`);
  }
  return !literalMatch(value, spec);
};

/** Does one matcher accept one (non-array) value? `value` is undefined when the field is absent. */
const matcherAccepts = (matcher: unknown, value: Json): boolean => {
  if (!isObject(matcher)) return value !== undefined && isLeaf(value) && literalMatch(value, matcher);
  const keys = Object.keys(matcher);
  if (keys.length !== 1)
    throw new InvalidPatternError(`a matcher has exactly one operator: ${JSON.stringify(matcher)}`);
  const [op] = keys as [string];
  const spec = matcher[op];
  if (op === 'exists') return spec === true ? value !== undefined && isLeaf(value) : value === undefined;
  if (value === undefined || !isLeaf(value)) return false;
  switch (op) {
    case 'prefix':
      return affix(value, spec, (v, s) => v.startsWith(s));
    case 'suffix':
      return affix(value, spec, (v, s) => v.endsWith(s));
    case 'equals-ignore-case':
      return (
        typeof value === 'string' && typeof spec === 'string' && value.toLowerCase() === spec.toLowerCase()
      );
    case 'wildcard':
      return typeof value === 'string' && typeof spec === 'string' && wildcardRegExp(spec).test(value);
    case 'anything-but':
      return anythingBut(value, spec);
    case 'numeric':
      return numericMatch(value, spec);
    case 'cidr':
      return inCidr(value, spec);
    default:
      throw new InvalidPatternError(`unknown matcher ${op}`);
  }
};

const leafMatches = (matchers: readonly unknown[], value: Json): boolean => {
  if (Array.isArray(value)) {
    // An array in the event matches when any element matches; an empty array only `exists: false`-like
    // patterns can't match since the field is present.
    return value.some((element) => matchers.some((m) => matcherAccepts(m, element)));
  }
  return matchers.some((m) => matcherAccepts(m, value));
};

/** True when `event` matches `pattern`. Throws InvalidPatternError for malformed patterns. */
export const matchesPattern = (pattern: EventPattern, event: Json): boolean => {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2)
        throw new InvalidPatternError('$or needs at least two patterns');
      if (!sub.some((alt) => isObject(alt) && matchesPattern(alt, event))) return false;
      continue;
    }
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(sub)) {
      if (!leafMatches(sub, value)) return false;
    } else if (isObject(sub)) {
      if (Array.isArray(value)) {
        if (!value.some((element) => matchesPattern(sub, element))) return false;
      } else if (!matchesPattern(sub, value)) {
        return false;
      }
    } else {
      throw new InvalidPatternError(`pattern values must be arrays or objects (key ${key})`);
    }
  }
  return true;
};
