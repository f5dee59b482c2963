import { type Actor, validateInboundEvent } from '@heed/contracts';
import type { LoggedEvent } from '../../src';

/**
 * A ticket's log, written as a producer (or Heed) would post it: each event validated, so
 * defaults apply, with ids e001, e002, … in the order added.
 */
export const logWriter = (ticketId: string) => {
  const log: LoggedEvent[] = [];
  let n = 0;
  const add = (
    type: string,
    occurredAt: string,
    data: Record<string, unknown> = {},
    actor: Actor = 'producer',
  ) => {
    const result = validateInboundEvent(
      { id: `e${String(++n).padStart(3, '0')}`, type, ticketId, occurredAt, data },
      { now: new Date('2030-01-01T00:00:00Z') },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    log.push({ event: result.value, actor });
  };
  return { log, add };
};
