import * as z from 'zod';

/** Services that own a timer per ticket (DESIGN §6): one timer per (ticket, owner). */
export const TIMER_OWNERS = ['sla', 'followup'] as const;
export type TimerOwner = (typeof TIMER_OWNERS)[number];

/**
 * The message a timer sends to its owner's queue when it is due: which ticket to look at again,
 * and the generation of the timer item that armed it (a firing of an older generation is stale).
 */
export const TimerFiringSchema = z.object({
  kind: z.literal('timer'),
  owner: z.enum(TIMER_OWNERS),
  tenantId: z.string().min(1),
  ticketId: z.string().min(1),
  generation: z.number().int().min(1),
  dueAt: z.iso.datetime({ offset: true }),
});
export type TimerFiring = z.infer<typeof TimerFiringSchema>;

/** A timer firing, or null when the body is something else (a bus event). */
export const parseTimerFiring = (body: string): TimerFiring | null => {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return null;
  }
  if ((raw as { kind?: unknown } | null)?.kind !== 'timer') return null;
  const parsed = TimerFiringSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
};
