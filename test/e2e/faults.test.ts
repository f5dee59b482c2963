import { afterAll, describe, expect, it } from 'vitest';
import type { FaultPlan } from '../../packages/local/src/faults';
import { play } from '../support/lifecycles';

/**
 * Whole lifecycles lived through faults on every call (HEED_FAULTS): SQS messages delivered up
 * to three times, DynamoDB calls failing before they are sent, writes that commit and lose
 * their reply, bus entries refused, webhooks failing. The same scenario is played without
 * faults and with them, on the manual clock; the tickets, the crossings on the bus and the
 * messages at the receivers must come out the same: exactly one logical message per purpose
 * and cycle (a message seen twice under its one delivery id is fine, a second delivery id is
 * not). What exhausted its retries must be on its ticket and in a DLQ, and redriving it (as an
 * operator would, once the outage is over) must finish the story.
 *
 * HEED_FAULT_SEEDS=1,2,3 plays more seeds (the default is one).
 */

const PLAN: FaultPlan = {
  duplicate: 3,
  'ddb-error': 0.1,
  'ddb-lost-reply': 0.05,
  'bus-error': 0.1,
  'webhook-error': 0.3,
};
const SEEDS = (process.env.HEED_FAULT_SEEDS ?? '20261203').split(',').map(Number);

const baseline = play(null);
afterAll(async () => {
  await baseline.catch(() => undefined);
});

describe('lifecycles under faults on every call', () => {
  it.each(SEEDS)(
    'end the same as without faults (seed %i)',
    async (seed) => {
      const clean = await baseline;
      // The scenario did what it says: warnings, breaches, escalations, reminders, surveys, closes.
      expect(clean.crossings.join('\n')).toMatch(/A SLA Breached first_response/);
      expect(clean.crossings.join('\n')).toMatch(/D Ticket Escalated transfers/);
      expect(clean.crossings.join('\n')).toMatch(/B Ticket Escalated low-csat/);
      expect(clean.crossings.join('\n')).toMatch(/C Ticket Auto-Closed pending/);
      expect(clean.messages.join('\n')).toMatch(/C reminder followup.reminder/);
      expect(clean.repeated).toBe(0);

      const faulty = await play({ plan: PLAN, seed });
      console.log(
        `seed ${seed}: injected ${JSON.stringify(faulty.injected)}; dead-lettered then redriven ${faulty.deadLettered}; ` +
          `messages seen again under their delivery id ${faulty.repeated}`,
      );
      // Faults of every kind were injected.
      for (const kind of Object.keys(PLAN)) expect(faulty.injected?.[kind], kind).toBeGreaterThan(0);
      expect(faulty.tickets).toEqual(clean.tickets);
      // The week's SLA report, read through the API, is the same too (and says something).
      expect(faulty.report).toEqual(clean.report);
      expect(JSON.stringify(clean.report)).toMatch(/"first_response":\{"started":[1-9]/);
      expect(faulty.crossings).toEqual(clean.crossings);
      // One delivery id per logical message: the same list as without faults, nothing lost, nothing twice.
      expect(faulty.messages).toEqual(clean.messages);
    },
    600_000,
  );
});
