import fc from 'fast-check';

/**
 * Seeded hostile requests for POST /v1/events, each with the answer it must get. Values are
 * written as JSON text by hand, so a request can hold what JSON.stringify cannot express: 64-bit
 * integers, 1e400, duplicate keys, lone-surrogate escapes, 100,000 levels of nesting.
 */

/** A JSON value as text; objects keep their member order and may repeat keys. */
type J = { t: string };
const raw = (t: string): J => ({ t });
const str = (s: string): J => raw(JSON.stringify(s));
const obj = (members: readonly (readonly [string, J])[]): J =>
  raw(`{${members.map(([k, v]) => `${JSON.stringify(k)}:${v.t}`).join(',')}}`);
/** A key written with JSON escapes of the caller's choosing (lone surrogates, controls). */
const objRawKeys = (members: readonly (readonly [string, J])[]): J =>
  raw(`{${members.map(([k, v]) => `"${k}":${v.t}`).join(',')}}`);

/** What the API must answer for one event. */
export type Expect = 'accepted' | 'duplicate' | 'conflict' | 'rejected';

export interface HostileEvent {
  readonly text: string;
  /** Id and ticket as the producer meant them (for the oracle), when well-formed. */
  readonly id: string | null;
  readonly ticketId: string | null;
  /** Canonical identity of a valid event, to decide duplicate vs conflict. */
  readonly fingerprint: string | null;
  /** Why this event is invalid, or null. */
  readonly defect: string | null;
  /** The event's `data` as sent, for verbatim checks. */
  readonly dataText: string | null;
}

export interface HostileRequest {
  readonly kind: 'single' | 'batch' | 'body';
  readonly body: Buffer;
  readonly contentType: string | null;
  readonly events: readonly HostileEvent[];
  /** For body-level defects: the statuses acceptable. */
  readonly bodyStatus?: readonly number[];
  readonly label: string;
}

const SAFE_ID_CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/#%?+=@~',
  ' ',
  'é',
  'ß',
  'ж',
  'チ',
  '票',
  '😀',
  '🎫',
  '\u00a0x',
  'ǅ',
];
const safeIdArb = (prefix: string) =>
  fc
    .array(fc.constantFrom(...SAFE_ID_CHARS), { minLength: 1, maxLength: 12 })
    .map((cs) => `${prefix}${cs.join('')}`.trim().replace(/\s+$/, '') || prefix);

/** Unknown values that must be kept verbatim. */
const keepable: fc.Arbitrary<J> = fc.letrec<{ v: J }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => raw(n.toString())),
    fc
      .constantFrom(
        '1e400',
        '-1e400',
        '1e-200',
        '1e-400',
        '-0',
        '0.1',
        '1.5e2',
        '123456789012345678901234567890',
      )
      .map(raw),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => raw(JSON.stringify(d))),
    fc.string({ unit: 'binary', maxLength: 20 }).map(str),
    fc.constantFrom('"\\ud800"', '"a\\udc00b"', '"\\u0000\\u001f"', '"\uFFFE"', '"😀\\ud83d"').map(raw),
    fc.constantFrom('true', 'false', 'null').map(raw),
    fc.array(tie('v'), { maxLength: 4 }).map((a) => raw(`[${a.map((x) => x.t).join(',')}]`)),
    fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(
              '',
              '__proto__',
              'constructor',
              'prototype',
              'toString',
              'hasOwnProperty',
              'ключ',
              '🔑',
            ),
            fc.string({ maxLength: 10 }),
            fc.integer({ min: 1000, max: 3000 }).map((n) => 'k'.repeat(n)),
          ),
          tie('v'),
        ),
        { maxLength: 4 },
      )
      .map((ms) => obj(dedupeKeys(ms))),
  ),
})).v;

const dedupeKeys = (ms: readonly (readonly [string, J])[]) => {
  const seen = new Set<string>();
  return ms.filter(([k]) => {
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

const nested = (depth: number): J => raw(`${'{"n":'.repeat(depth)}1${'}'.repeat(depth)}`);

const TYPES = [
  'ticket.opened',
  'customer.replied',
  'agent.replied',
  'ticket.status_changed',
  'ticket.priority_changed',
  'ticket.assigned',
  'feedback.received',
] as const;

const knownData = (type: (typeof TYPES)[number], g: (n: number) => number): [string, J][] => {
  switch (type) {
    case 'ticket.opened':
      return [
        ['channel', str(['email', 'chat', 'sms', 'web'][g(4)] as string)],
        ['priority', str(['low', 'normal', 'high', 'urgent'][g(4)] as string)],
        [
          'subject',
          str(['Printer on fire 🔥', 'Zahlung fehlgeschlagen', '注文が届かない', ''][g(4)] as string),
        ],
        [
          'customer',
          obj([
            ['id', str(`c-${g(1000)}`)],
            ['locale', str(['ja-JP', 'ar-SA', 'zh-TW', 'de', 'en-US'][g(5)] as string)],
            ['timeZone', str(['Asia/Tokyo', 'Europe/Berlin', 'America/New_York'][g(3)] as string)],
          ]),
        ],
      ];
    case 'agent.replied':
      return [
        ['agentId', str(`a-${g(20)}`)],
        ['public', raw(g(2) ? 'true' : 'false')],
      ];
    case 'ticket.status_changed':
      return [['status', str(['open', 'pending', 'on_hold', 'solved', 'closed'][g(5)] as string)]];
    case 'ticket.priority_changed':
      return [['priority', str(['low', 'normal', 'high', 'urgent'][g(4)] as string)]];
    case 'ticket.assigned':
      return [['groupId', str(`g-${g(5)}`)]];
    case 'feedback.received':
      return [['score', raw(String(1 + g(5)))]];
    default:
      return [];
  }
};

/** One way to break an event; the answer must name the field and record nothing. */
const DEFECTS: readonly (readonly [string, (e: Record<string, J>) => void])[] = [
  ['id: control character', (e) => (e.id = raw('"a\\u0001b"'))],
  ['id: lone surrogate', (e) => (e.id = raw('"a\\ud800"'))],
  ['id: noncharacter U+FFFE', (e) => (e.id = raw('"a\uFFFE"'))],
  ['id: noncharacter U+FDD0', (e) => (e.id = raw('"a\\ufdd0"'))],
  ['id: surrounding space', (e) => (e.id = str(' a'))],
  ['id: empty', (e) => (e.id = str(''))],
  ['id: too long', (e) => (e.id = str('x'.repeat(129)))],
  ['id: a number', (e) => (e.id = raw('12345678901234567890'))],
  ['id: reserved prefix', (e) => (e.id = str('heed:sla'))],
  ['ticketId: dot', (e) => (e.ticketId = str('.'))],
  ['ticketId: dot dot', (e) => (e.ticketId = str('..'))],
  ['ticketId: lone surrogate', (e) => (e.ticketId = raw('"T\\udfff"'))],
  ['ticketId: DEL', (e) => (e.ticketId = raw('"T\\u007f"'))],
  ['occurredAt: no offset', (e) => (e.occurredAt = str('2026-11-20T09:00:00'))],
  ['occurredAt: ten fraction digits', (e) => (e.occurredAt = str('2026-11-20T09:00:00.0000000001Z'))],
  ['ticketId: too long', (e) => (e.ticketId = str('T'.repeat(129)))],
  ['occurredAt: before 2000', (e) => (e.occurredAt = str('1999-12-31T23:59:59Z'))],
  ['occurredAt: far future', (e) => (e.occurredAt = str('2099-01-01T00:00:00Z'))],
  ['occurredAt: no such day', (e) => (e.occurredAt = str('2026-02-30T00:00:00Z'))],
  ['type: unknown', (e) => (e.type = str('ticket.exploded'))],
  ['type: missing', (e) => delete e.type],
  ['data: nested beyond 64 levels', (e) => (e.data = obj([['deep', nested(70)]]))],
  [
    'data: 100,000 levels',
    (e) => (e.data = obj([['deep', raw(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)]])),
  ],
  ['data: not an object', (e) => (e.data = raw('[1,2]'))],
  [
    'score: 1e400',
    (e) => Object.assign(e, { type: str('feedback.received'), data: obj([['score', raw('1e400')]]) }),
  ],
  ['score: 9', (e) => Object.assign(e, { type: str('feedback.received'), data: obj([['score', raw('9')]]) })],
  [
    'subject: lone surrogate',
    (e) =>
      Object.assign(e, {
        type: str('ticket.opened'),
        data: objRawKeys([
          ['channel', str('email')],
          ['subject', raw('"broken \\ud800"')],
          ['customer', obj([['id', str('c')]])],
        ]),
      }),
  ],
  [
    'customer.email: not an email',
    (e) =>
      Object.assign(e, {
        type: str('ticket.opened'),
        data: obj([
          ['channel', str('email')],
          [
            'customer',
            obj([
              ['id', str('c')],
              ['email', str('nope')],
            ]),
          ],
        ]),
      }),
  ],
];

interface Oracle {
  /** Ids generated so far (a reused one is a conflict unless the whole event is resent). */
  readonly ids: Map<string, unknown>;
}

const canonicalEvent = (members: [string, J][]): string =>
  members
    .slice()
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v.t}`)
    .join('|');

/**
 * `count` requests from `seed`. Event ids never repeat within one request, so the expected
 * answer of each event does not depend on the order Heed records a batch in.
 */
export const hostileRequests = (seed: number, count: number, now: Date): HostileRequest[] => {
  const rng = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { seed, numRuns: count * 64 });
  let cursor = 0;
  const g = (n: number): number => (rng[cursor++ % rng.length] as number) % n;
  const ids = fc.sample(safeIdArb('e-'), { seed: seed + 1, numRuns: count * 4 });
  const tickets = fc.sample(safeIdArb('T'), { seed: seed + 2, numRuns: Math.max(8, Math.floor(count / 12)) });
  const unknowns = fc.sample(keepable, { seed: seed + 3, numRuns: count * 2 });
  const oracle: Oracle = { ids: new Map() };
  const used: string[] = [];
  const sent: HostileEvent[] = [];
  let idSeq = 0;

  const event = (inRequest: Set<string>): HostileEvent => {
    // Sometimes the very same event again, as a retrying producer would send it.
    const again = sent.length > 0 && g(10) === 0 ? (sent[g(sent.length)] as HostileEvent) : null;
    if (again?.id && !inRequest.has(again.id)) {
      inRequest.add(again.id);
      return again;
    }
    const type = TYPES[g(TYPES.length)] as (typeof TYPES)[number];
    const ticketId = tickets[g(tickets.length)] as string;
    const minutesAgo = g(7 * 24 * 60);
    // As Python (6 fraction digits), .NET (7), Go or Java (9) write it, or as JavaScript does (3).
    const ms = new Date(now.getTime() - minutesAgo * 60_000 - g(1000)).toISOString();
    const extra = ['', '123', '1234', '456789'][g(4)] as string;
    const occurredAt = ms.replace('Z', `${extra}Z`);
    const members: Record<string, J> = {
      id: str(''),
      type: str(type),
      ticketId: str(ticketId),
      occurredAt: str(g(3) === 0 ? occurredAt.replace('Z', '+00:00') : occurredAt),
    };
    const dataMembers: [string, J][] = [...knownData(type, g)];
    if (g(2)) dataMembers.push([`x${g(100)}`, unknowns[g(unknowns.length)] as J]);
    if (g(4) === 0) members.extra = unknowns[g(unknowns.length)] as J;
    members.data = obj(dedupeKeys(dataMembers));

    // An id: fresh, or reused for the same event (duplicate) or another (conflict).
    let id = `${ids[idSeq++ % ids.length]}-${idSeq}`;
    const reuse = used.length > 0 && g(8) === 0 ? (used[g(used.length)] as string) : null;
    if (reuse && !inRequest.has(reuse)) id = reuse;
    inRequest.add(id);
    members.id = str(id);

    const defect = g(4) === 0 ? (DEFECTS[g(DEFECTS.length)] as (typeof DEFECTS)[number]) : null;
    if (defect) defect[1](members);
    const entries = Object.entries(members);
    // A duplicate key, written by hand, makes an otherwise fine event invalid too.
    const dupKey = !defect && g(40) === 0;
    const text = dupKey
      ? `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v.t}`).join(',')},"ticketId":${members.ticketId?.t}}`
      : `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v.t}`).join(',')}}`;
    const fingerprint = canonicalEvent(entries);
    const valid = !defect && !dupKey;
    if (valid && !oracle.ids.has(id)) used.push(id);
    const made: HostileEvent = {
      text,
      id: valid ? id : null,
      ticketId: valid ? ticketId : null,
      fingerprint: valid ? fingerprint : null,
      defect: defect ? defect[0] : dupKey ? 'duplicate key ticketId' : null,
      dataText: members.data?.t ?? null,
    };
    if (valid) sent.push(made);
    return made;
  };

  const bodyDefects: readonly (() => HostileRequest)[] = [
    () => body('truncated JSON', Buffer.from('{"id":"e","type":"ticket.opened"'), 'application/json', [400]),
    () => body('invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'application/json', [400]),
    () => body('text/plain', Buffer.from('{}'), 'text/plain', [415]),
    () => body('no content-type', Buffer.from('{}'), null, [415]),
    () => body('over 256 KB', Buffer.from(`{"pad":"${'x'.repeat(300_000)}"}`), 'application/json', [413]),
    () => body('empty body', Buffer.alloc(0), 'application/json', [400]),
    () => body('empty batch', Buffer.from('{"events":[]}'), 'application/json', [400]),
    () =>
      body(
        '101 events',
        Buffer.from(`{"events":[${Array(101).fill('{}').join(',')}]}`),
        'application/json',
        [400],
      ),
    () => body('events not an array', Buffer.from('{"events":{"0":{}}}'), 'application/json', [400]),
    () => body('a JSON array', Buffer.from('[{"id":"e"}]'), 'application/json', [400]),
    () => body('a bare number', Buffer.from('12345678901234567890123'), 'application/json', [400]),
    () => body('NaN', Buffer.from('{"x":NaN}'), 'application/json', [400]),
  ];
  const body = (
    label: string,
    buf: Buffer,
    contentType: string | null,
    statuses: number[],
  ): HostileRequest => ({
    kind: 'body',
    body: buf,
    contentType,
    events: [],
    bodyStatus: statuses,
    label,
  });

  const out: HostileRequest[] = [];
  for (let i = 0; i < count; i++) {
    const pick = g(20);
    if (pick === 0) {
      out.push((bodyDefects[g(bodyDefects.length)] as () => HostileRequest)());
      continue;
    }
    const inRequest = new Set<string>();
    const contentType = [
      'application/json',
      'application/json; charset=utf-8',
      'application/cloudevents+json',
    ][g(3)] as string;
    if (pick < 12) {
      const e = event(inRequest);
      out.push({
        kind: 'single',
        body: Buffer.from(e.text),
        contentType,
        events: [e],
        label: e.defect ?? 'event',
      });
    } else {
      const events = Array.from({ length: 1 + g(5) }, () => event(inRequest));
      out.push({
        kind: 'batch',
        body: Buffer.from(`{"events":[${events.map((e) => e.text).join(',')}]}`),
        contentType,
        events,
        label: `batch of ${events.length}`,
      });
    }
  }
  return out;
};

/** Decides the expected answer of each valid event in sending order (ids are unique per request). */
export const expectFor = (
  e: HostileEvent,
  oracle: Map<string, { fingerprint: string; ticketId: string }>,
): Expect => {
  if (e.defect || !e.id || !e.fingerprint || !e.ticketId) return 'rejected';
  const seen = oracle.get(e.id);
  if (!seen) {
    oracle.set(e.id, { fingerprint: e.fingerprint, ticketId: e.ticketId });
    return 'accepted';
  }
  return seen.fingerprint === e.fingerprint && seen.ticketId === e.ticketId ? 'duplicate' : 'conflict';
};
