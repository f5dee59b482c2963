import type { TicketStorePort } from '@heed/aws';
import { HttpError } from './http';

/**
 * `GET /v1/tickets/{ticketId}`: the projection, the ordered timeline, the acknowledgements and
 * every outbound delivery with its attempts. A ticket of another tenant lives under another
 * partition key, so it is simply not found (404, not 403: we do not confirm that it exists).
 */
export const readTicket = async (tenantId: string, ticketId: string, tickets: TicketStorePort) => {
  const view = await tickets.view(tenantId, ticketId);
  if (!view) throw new HttpError(404, 'not_found', `no ticket ${ticketId}`);
  const { lastKey: _lastKey, tenantId: _tenantId, ...ticket } = view.state;
  return {
    ...ticket,
    acknowledgements: view.acknowledgements.map(
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
    deliveries: view.deliveries.map((d) => ({
      deliveryId: d.deliveryId,
      purpose: d.purpose,
      audience: d.audience,
      channel: d.channel,
      locale: d.message.locale,
      status: d.status,
      ...(d.reason && { reason: d.reason }),
      createdAt: d.createdAt,
      ...(d.deliveredAt && { deliveredAt: d.deliveredAt }),
      attempts: d.attempts,
    })),
    // The producer's events by occurredAt, with what Heed did about them (acknowledgements,
    // delivery attempts) interleaved at the time Heed did it.
    timeline: [
      ...view.timeline.map(({ event, receivedAt, emitted }) => ({
        source: 'producer' as const,
        at: new Date(event.occurredAt).toISOString(),
        id: event.id,
        type: event.type,
        occurredAt: event.occurredAt,
        receivedAt,
        data: event.data,
        emitted,
      })),
      ...view.acknowledgements.map((a) => ({
        source: 'heed' as const,
        at: a.requestedAt,
        type: a.status === 'skipped' ? 'acknowledgement.skipped' : 'acknowledgement.requested',
        opening: a.openingKey,
        ...(a.reason && { reason: a.reason }),
        ...(a.promisedBy && { promisedBy: a.promisedBy }),
      })),
      ...view.deliveries.flatMap((d) => [
        ...d.attempts.map((attempt) => ({
          source: 'heed' as const,
          type: 'delivery.attempt',
          deliveryId: d.deliveryId,
          ...attempt,
        })),
        ...(d.settledAt && d.status !== 'pending'
          ? [
              {
                source: 'heed' as const,
                at: d.settledAt,
                type: `delivery.${d.status}`,
                deliveryId: d.deliveryId,
                ...(d.reason && { reason: d.reason }),
              },
            ]
          : []),
      ]),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
  };
};
