import { type Actor, validateInboundEvent } from '@heed/contracts';
import type { LoggedEvent } from '../../src';

/**
 * A ticket's log, written as a producer (or Heed) would post it: each event validated, so
 * defaults apply, with ids e001, e002, … in the order added. Tests extend it with their own
 * shorthands; every one returns `this`, so a history reads as one chain.
 */
export class TicketLog {
  readonly log: LoggedEvent[] = [];
  #n = 0;

  constructor(readonly ticketId: string) {}

  add(type: string, occurredAt: string, data: Record<string, unknown> = {}, actor: Actor = 'producer'): this {
    const result = validateInboundEvent(
      { id: `e${String(++this.#n).padStart(3, '0')}`, type, ticketId: this.ticketId, occurredAt, data },
      { now: new Date('2030-01-01T00:00:00Z') },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    this.log.push({ event: result.value, actor });
    return this;
  }
}
