import type { TicketStorePort } from '@heed/aws';
import { HttpError } from './http';

/**
 * `GET /v1/tickets/{ticketId}`: the projection and the ordered timeline. A ticket of another
 * tenant lives under another partition key, so it is simply not found (404, not 403: we do not
 * confirm that it exists).
 */
export const readTicket = async (tenantId: string, ticketId: string, tickets: TicketStorePort) => {
  const [state, timeline] = await Promise.all([
    tickets.get(tenantId, ticketId),
    tickets.timeline(tenantId, ticketId),
  ]);
  if (!state) throw new HttpError(404, 'not_found', `no ticket ${ticketId}`);
  const { lastKey: _lastKey, tenantId: _tenantId, ...ticket } = state;
  return {
    ...ticket,
    timeline: timeline.map(({ event, receivedAt, emitted }) => ({
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      receivedAt,
      data: event.data,
      emitted,
    })),
  };
};
