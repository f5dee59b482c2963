import { accountsFor, digestOf, type ResumeState } from '@heed/app';
import {
  type ActivityItem,
  type ConfigSource,
  type DynamoTicketReader,
  type DynamoTimerStore,
  errorSummary,
  type LogItem,
  loggedEventsOf,
  logger,
  OUTBOX_ATTRIBUTE,
  type TimelineItem,
} from '@heed/aws';
import { type DomainEvent, type JsonValue, parseJson, type TimerOwner } from '@heed/contracts';
import {
  type Clock,
  type FollowUp,
  type FollowUpCheckpoint,
  type FollowUpModel,
  type FollowUpsSettled,
  followUpsFrom,
  type LoggedEvent,
  type SlaCheckpoint,
  type SlaModel,
  type SlaSettled,
  slaFrom,
  type TicketState,
  withSettled,
  withSettledFollowUps,
} from '@heed/core';
import { HttpError } from './http';

export const DEFAULT_TIMELINE_LIMIT = 50;
export const MAX_TIMELINE_LIMIT = 200;

/** Attributes of stored items that are storage plumbing, not part of the story. */
const PLUMBING = new Set(['pk', 'sk', 'kind', 'gpk', 'gsk', OUTBOX_ATTRIBUTE, 'tenantId']);

const emittedTypes = (emits: unknown): string[] =>
  Array.isArray(emits) ? (emits as DomainEvent[]).map((e) => e.detailType) : [];

/** The event's `data` as the producer sent it: unknown fields and exact numbers kept. */
const verbatimData = (raw: unknown): JsonValue => {
  if (typeof raw !== 'string') return null;
  const parsed = parseJson(raw);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))
    return null;
  return (parsed.value as Record<string, JsonValue>).data ?? null;
};

const entryOf = (t: TimelineItem) => {
  if (t.kind === 'event') {
    const { event, actor, receivedAt, late, raw } = t.item;
    return {
      source: actor ?? 'producer',
      at: new Date(event.occurredAt).toISOString(),
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      receivedAt,
      ...(late && { late: true }),
      data: verbatimData(raw),
      emitted: emittedTypes(t.item[OUTBOX_ATTRIBUTE]),
    };
  }
  const item: ActivityItem = t.item;
  const details = Object.fromEntries(Object.entries(item).filter(([k]) => !PLUMBING.has(k)));
  const emitted = emittedTypes(item[OUTBOX_ATTRIBUTE]);
  return { source: 'heed', ...details, ...(emitted.length > 0 && { emitted }) };
};

/**
 * A timeline key as the cursors carry it: an instant with exactly nine fraction digits, then an
 * id (a producer's, at most 128 characters, or one of Heed's, which are longer but bounded).
 */
const CURSOR_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z#.{1,600}$/s;
const MAX_CURSOR_LENGTH = 1_000;

const decodeCursor = (cursor: string | undefined): string | undefined => {
  if (cursor === undefined) return undefined;
  const key =
    cursor.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(cursor)
      ? Buffer.from(cursor, 'base64url').toString('utf8')
      : '';
  // Only what this API hands out: re-encoding gives the same text back.
  if (!CURSOR_KEY.test(key) || Buffer.from(key, 'utf8').toString('base64url') !== cursor)
    throw new HttpError(400, 'invalid_request', 'before: not a cursor returned by this API');
  return key;
};

/**
 * A page's timeline is cut at this many bytes of JSON (newest entries kept, the cursor pointing
 * before them): Lambda answers at most 6 MB, and an event may carry up to 256 KB of fields.
 */
export const MAX_TIMELINE_BYTES = 1_000_000;

/** The newest entries that fit in the byte budget (at least one), oldest first, and whether any were cut. */
const withinBytes = <T>(entries: readonly T[], size: (entry: T) => number): { kept: T[]; cut: boolean } => {
  let bytes = 0;
  let first = entries.length;
  while (first > 0) {
    const next = bytes + size(entries[first - 1] as T);
    if (next > MAX_TIMELINE_BYTES && first < entries.length) break;
    bytes = next;
    first--;
  }
  return { kept: entries.slice(first), cut: first > 0 };
};

const limitOf = (value: string | undefined): number => {
  if (value === undefined) return DEFAULT_TIMELINE_LIMIT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TIMELINE_LIMIT)
    throw new HttpError(400, 'invalid_request', `limit: an integer from 1 to ${MAX_TIMELINE_LIMIT}`);
  return n;
};

export interface ReadDeps {
  readonly reader: Pick<DynamoTicketReader, 'page' | 'log' | 'logFrom'>;
  readonly timers: Pick<DynamoTimerStore, 'get' | 'checkpoint' | 'settled'>;
  readonly configs: ConfigSource;
  readonly clock: Clock;
}

/** What the follow-up service keeps of what it did (its timer item's state), as far as the read API needs it. */
interface FollowUpSeen {
  readonly seen?: Readonly<
    Record<string, { readonly status: string; readonly at: string; readonly deliveryId?: string }>
  >;
}

/** A follow-up as DESIGN §5.2 shows it: the fold's schedule, and what the follow-up service sent. */
const followUpView = (f: FollowUp, seen: FollowUpSeen['seen']) => {
  // What the service did is the truth (a re-fold now would call a survey sent a week ago stale);
  // due this instant but not handed to the notifier yet: still to go out.
  const done = seen?.[f.key];
  const status = done ? done.status : f.status === 'due' ? 'scheduled' : f.status;
  return {
    kind: f.kind,
    cycle: f.cycle,
    ...(f.kind !== 'survey' && f.kind !== 'closeSolved' && { round: f.round }),
    dueAt: f.dueAt,
    status,
    sentAt: status === 'sent' ? (done?.at ?? null) : null,
    ...(done?.deliveryId && { deliveryId: done.deliveryId }),
    ...(status === 'done' && { doneAt: f.at }),
    reason: status === 'sent' || status === 'done' ? null : f.reason,
  };
};

/** The stored starting points of a read: each owner's timer item and fold checkpoint. */
const storedViews = (tenantId: string, ticketId: string, deps: ReadDeps) =>
  Promise.all([
    deps.configs.configOf(tenantId),
    deps.timers.get<ResumeState>('sla', tenantId, ticketId),
    deps.timers.get<ResumeState & FollowUpSeen>('followup', tenantId, ticketId),
    deps.timers.checkpoint<SlaCheckpoint>('sla', tenantId, ticketId),
    deps.timers.checkpoint<FollowUpCheckpoint>('followup', tenantId, ticketId),
  ]);

/**
 * The ticket's SLA and follow-ups as of now (DESIGN §5), folded from what each owner last
 * committed (its checkpoint, kept under the same configuration) and the events after it, read
 * with one bounded query, plus what the checkpoints left out (stopped clocks, escalations, past
 * follow-ups: final, stored beside them); the whole log only when an event arrived before a
 * checkpoint and the owner has not looked since. The same models as a fold of the whole log (core's property tests
 * say so), so the read is the corrected truth even before the services have looked at a late
 * event, running clocks up to the second.
 */
const modelsNow = async (
  tenantId: string,
  ticketId: string,
  eventCount: number,
  stored: Awaited<ReturnType<typeof storedViews>>,
  deps: ReadDeps,
) => {
  const [config, slaTimer, followUpTimer, slaCheckpoint, followUpCheckpoint] = stored;
  const configKey = digestOf(config);
  // A chain to resume along: a checkpoint of this configuration, with its settled items.
  const chainOf = (resume: ResumeState['resume'] | undefined, checkpoint: unknown) =>
    resume?.settledFrom && checkpoint !== null && resume.configKey === configKey
      ? { at: resume.at, folded: resume.folded, settledFrom: resume.settledFrom }
      : null;
  const slaChain = chainOf(slaTimer?.state.resume, slaCheckpoint);
  const followUpChain = chainOf(followUpTimer?.state.resume, followUpCheckpoint);
  const starts = [slaChain, followUpChain].flatMap((p) => (p ? [p.at] : []));
  const tail = starts.length > 0 ? await deps.reader.logFrom(tenantId, ticketId, Math.min(...starts)) : [];
  let whole: Promise<LogItem[]> | undefined;
  const history = async <C, S>(
    owner: TimerOwner,
    chain: ReturnType<typeof chainOf>,
    checkpoint: C | null,
  ): Promise<{ from: C | null; events: LoggedEvent[]; settled: S[] }> => {
    const after = chain ? tail.filter((l) => Date.parse(l.event.occurredAt) >= chain.at) : [];
    const settled =
      chain && accountsFor(chain, after, eventCount)
        ? await deps.timers.settled<S>(
            owner,
            tenantId,
            ticketId,
            { from: chain.settledFrom, to: chain },
            { eventual: true },
          )
        : null;
    if (settled) return { from: checkpoint, events: loggedEventsOf(after), settled };
    whole ??= deps.reader.log(tenantId, ticketId);
    return { from: null, events: loggedEventsOf(await whole), settled: [] };
  };
  const [slaInput, followUpInput] = await Promise.all([
    history<SlaCheckpoint, SlaSettled>('sla', slaChain, slaCheckpoint),
    history<FollowUpCheckpoint, FollowUpsSettled>('followup', followUpChain, followUpCheckpoint),
  ]);
  const now = deps.clock.now();
  // A configuration stored before today's validation may not compute: the read still answers,
  // with the reason where the models would be (the SLA service dead-letters and says so too).
  let sla: SlaModel;
  let followUps: FollowUpModel;
  try {
    sla = slaFrom(slaInput.from, slaInput.events, config, now).model;
    followUps = followUpsFrom(followUpInput.from, followUpInput.events, config, now).model;
  } catch (error) {
    const { name, message } = errorSummary(error);
    logger.error("the ticket's models could not be computed", { ticketId, error: { name, message } });
    const problem = `the tenant configuration cannot be computed for this ticket (${name}: ${message}); push a valid one`;
    return {
      sla: { rule: null, clocks: [], escalations: [], problem },
      followUps: [],
      survey: null,
      linkedTickets: [],
    };
  }
  const last = followUps.answers.reduce<(typeof followUps.answers)[number] | null>(
    (a, b) => (a === null || b.cycle >= a.cycle ? b : a),
    null,
  );
  return {
    sla: { rule: sla.rule, ...withSettled(sla, slaInput.settled) },
    followUps: withSettledFollowUps(followUps, followUpInput.settled).map((f) =>
      followUpView(f, followUpTimer?.state.seen),
    ),
    survey: last && { cycle: last.cycle, score: last.score, comment: last.comment, answeredAt: last.at },
    linkedTickets: followUps.linked.map((l) => ({ ticketId: l.ticketId, at: l.at, reason: l.reason })),
  };
};

/** The ticket's own fields, in the order the answer lists them (the SLA, follow-ups, lists and timeline come after). */
const STATE_KEYS = [
  'ticketId',
  'reference',
  'status',
  'priority',
  'channel',
  'subject',
  'customer',
  'assignee',
  'createdBy',
  'opened',
  'openedAt',
  'opening',
  'pendingSince',
  'transfers',
  'firstPublicReplyAt',
  'lastPublicReplyAt',
  'lastCustomerMessageAt',
  'solvedAt',
  'closedAt',
  'reopenCount',
  'linkedFrom',
  'lastFeedback',
  'eventCount',
] as const satisfies readonly (keyof TicketState)[];

/**
 * `GET /v1/tickets/{ticketId}[?before=<cursor>&limit=n]`: the projection, its SLA clocks and
 * escalations, the newest acknowledgements and deliveries, and one page of the timeline (newest
 * `limit` entries, oldest first, with `timelineCursor` for the page before). A ticket of another
 * tenant lives under another partition key, so it is simply not found (404, not 403: we do not
 * confirm it exists).
 */
export const readTicket = async (
  tenantId: string,
  ticketId: string,
  query: Readonly<Record<string, string | undefined>>,
  deps: ReadDeps,
) => {
  const before = decodeCursor(query.before);
  const limit = limitOf(query.limit);
  const [page, stored] = await Promise.all([
    deps.reader.page(tenantId, ticketId, { limit, ...(before && { before }) }),
    storedViews(tenantId, ticketId, deps),
  ]);
  if (!page) throw new HttpError(404, 'not_found', `no ticket ${ticketId}`);
  const models = await modelsNow(tenantId, ticketId, page.state.eventCount, stored, deps);
  const ticket = Object.fromEntries(STATE_KEYS.map((key) => [key, page.state[key]]));
  const timeline = withinBytes(
    page.timeline.map((t) => ({ key: t.key, entry: entryOf(t) })),
    (t) => Buffer.byteLength(JSON.stringify(t.entry)),
  );
  const cursor = timeline.cut ? (timeline.kept[0]?.key ?? null) : page.cursor;
  return {
    ...ticket,
    ...models,
    acknowledgements: page.acknowledgements.map(
      ({
        openingKey,
        status,
        reason,
        promisedBy,
        rule,
        targetMinutes,
        hours,
        locale,
        channel,
        requestedAt,
        sentAt,
        deliveryId,
      }) => ({
        opening: openingKey,
        status,
        ...(reason && { reason }),
        ...(promisedBy && { promisedBy, rule, targetMinutes, hours }),
        ...(locale && { locale, channel }),
        requestedAt,
        ...(sentAt && { sentAt }),
        ...(deliveryId && { deliveryId }),
      }),
    ),
    // Message bodies and recipients stay out of the read API; the attempts tell what happened.
    deliveries: page.deliveries.map((d) => ({
      deliveryId: d.deliveryId,
      purpose: d.purpose,
      // Null only for a delivery whose message was never stored (failed before it was written).
      audience: d.audience ?? null,
      ...(d.roles?.length && { roles: d.roles }),
      channel: d.channel ?? null,
      locale: d.message?.locale ?? null,
      status: d.status,
      ...(d.reason && { reason: d.reason }),
      createdAt: d.createdAt,
      ...(d.deliveredAt && { deliveredAt: d.deliveredAt }),
      attempts: d.attempts,
    })),
    timeline: timeline.kept.map((t) => t.entry),
    timelineCursor: cursor === null ? null : Buffer.from(cursor, 'utf8').toString('base64url'),
  };
};
