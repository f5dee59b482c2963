import type { Unit } from '@heed/aws';
import type {
  DomainEvent,
  InboundEvent,
  MetricName,
  TenantConfig,
  TimerFiring,
  TimerOwner,
} from '@heed/contracts';
import type { Activity, FoldLook, LoggedEvent, NewDelivery, Resumable, TicketState } from '@heed/core';

/** One of Heed's own events an owner decided on: appended to a ticket's log (this one or a linked one). */
export interface HeedEventToRecord {
  readonly event: InboundEvent;
  /** Only if that ticket is not opened yet (a linked ticket's opening). */
  readonly createOnly?: boolean;
}

/** What an owner writes to say what happened: a timeline activity with its domain events, maybe a message. */
export interface Announcement {
  readonly activity: Activity;
  readonly emits: readonly DomainEvent[];
  readonly delivery?: NewDelivery;
}

/** A metric to count once the decision's commit won (never for a look that lost a race). */
export interface MetricPoint {
  readonly name: MetricName;
  readonly unit: Unit;
  readonly value: number;
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** Why an owner looks at a ticket again, and what its message said. */
export interface OwnerTrigger {
  readonly tenantId: string;
  readonly ticketId: string;
  /** The timer firing, or null for a ticket event from the bus. */
  readonly firing: TimerFiring | null;
  readonly causationId: string;
  /** The message was received before (a retry): see `runOwner`. */
  readonly retry?: boolean;
}

/** What a workflow sees when it looks at a ticket: everything it decides from, nothing to call. */
export interface OwnerLook<S, M> {
  readonly ticket: TicketState;
  readonly config: TenantConfig;
  /** What the previous committed look left (null on the first look). */
  readonly prior: S | null;
  /** The model now (or, while a history is still arriving, as of its newest event). */
  readonly model: M;
  readonly trigger: OwnerTrigger;
  readonly now: Date;
  /** The instant of the checkpoint this look's commit stores, or null when it stores none. */
  readonly checkpointAt: number | null;
}

/** What a workflow decided; the runner records, commits, arms and counts it. */
export interface OwnerDecision<S> {
  /** Logged first, through the ticket write path (deduped by id, so a retry logs nothing twice). */
  readonly heedEvents: readonly HeedEventToRecord[];
  /** Written with the state, in order (a backfill may need several transactions). */
  readonly announcements: readonly Announcement[];
  /**
   * The state once the first `count` announcements are written (`count` equal to their number:
   * the look's final state). A crash between two commits of a long backfill resumes from there.
   */
  readonly stateAfter: (count: number) => S;
  /** Something the state remembers changed, so the look writes even without announcements. */
  readonly changed: boolean;
  /** When to look again without news (null: never). */
  readonly wakeAt: Date | null;
  readonly metrics: readonly MetricPoint[];
}

/**
 * A timer owner (DESIGN §6) as a workflow: a pure fold of the ticket's log and a decision over
 * what the fold shows. The runner (`runOwner`) reads, resumes the fold from its checkpoint,
 * writes and arms; a workflow only decides. Adding an owner is writing one of these.
 */
export interface TimerWorkflow<S, M, C extends Resumable, Settled> {
  readonly owner: TimerOwner;
  /** The owner's model at `at`, folded from `from` (null: the start) over `events`. */
  fold(
    from: C | null,
    events: readonly LoggedEvent[],
    config: TenantConfig,
    at: Date,
  ): FoldLook<M, C, Settled>;
  /** Instants of what the model holds and `prior` has not announced yet (a history still arriving waits for them). */
  unannounced(model: M, prior: S | null): readonly string[];
  /** Decides from a look. Asynchronous only for what must be signed (a survey link). */
  decide(look: OwnerLook<S, M>): OwnerDecision<S> | Promise<OwnerDecision<S>>;
}
