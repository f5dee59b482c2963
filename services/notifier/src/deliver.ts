import {
  type ConfigSource,
  type DynamoDeliveryStore,
  errorSummary,
  MAX_RECEIVE_COUNT,
  MetricUnit,
  recordMetric,
  type SecretOpener,
  type TicketStorePort,
  webhookSecretContext,
} from '@heed/aws';
import { type DomainEvent, isHelpdeskFormat, type TenantConfig } from '@heed/contracts';
import {
  type Clock,
  type DeliveryAttempt,
  type DeliveryRecord,
  domainEvent,
  repliedSince,
  type TicketState,
  webhookId,
  webhookTakes,
} from '@heed/core';
import type { EmailSender, PostMethod, WebhookPoster } from './channels';
import { formatTakes, formattedBody, helpdeskCall, ticketLink } from './formats';
import { sign, standardHeaders } from './signature';

export interface DeliverDeps {
  readonly deliveries: Pick<DynamoDeliveryStore, 'get' | 'recordAttempts' | 'settle' | 'markFailed'>;
  readonly tickets: Pick<TicketStorePort, 'get'>;
  readonly configs: ConfigSource;
  readonly poster: WebhookPoster;
  /** Opens the sealed webhook secrets (KMS in AWS), cached per container. */
  readonly secrets: Pick<SecretOpener, 'open'>;
  /** Present only when the stack enables SES. */
  readonly email?: EmailSender;
  readonly clock: Clock;
  /**
   * Signs with this clock's time: a receiver checks `t=` against its own clock (5 minutes'
   * tolerance is usual), so on the local runtime's steered clock signatures still use real time;
   * the simulated instant is in the body (`sentAt`).
   */
  readonly wallClock: Clock;
}

export type DeliverOutcome =
  | { readonly outcome: 'delivered'; readonly attempts: number }
  | { readonly outcome: 'cancelled' | 'skipped'; readonly reason: string }
  | { readonly outcome: 'duplicate' | 'ignored' };

/** Some endpoint did not accept the message; the queue retries it with backoff. */
export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailedError';
}

interface Target {
  /** Stable endpoint id: `webhook:<id>` or `email`. */
  readonly key: string;
  readonly endpoint: string;
  send(body: string): Promise<{ ok: boolean; status?: number }>;
}

const isOk = (status: number) => status >= 200 && status < 300;

/** The endpoints this delivery goes to: the tenant's webhooks for its audience, and e-mail when enabled. */
const targetsFor = (d: DeliveryRecord, config: TenantConfig, deps: DeliverDeps): Target[] => {
  const link = ticketLink(config.delivery.ticketUrl, d);
  const targets: Target[] = config.delivery.webhooks.flatMap((hook) =>
    webhookTakes(hook, d.audience, d.roles ?? []) && formatTakes(hook.format, d)
      ? [
          {
            key: `webhook:${webhookId(hook)}`,
            endpoint: new URL(hook.url).host,
            async send(body: string) {
              const context = webhookSecretContext(d.tenantId, hook);
              const post = (
                headers: Record<string, string>,
                content: string,
                url = hook.url,
                method: PostMethod = 'POST',
              ) =>
                deps.poster.post(
                  url,
                  {
                    'content-type': 'application/json; charset=utf-8',
                    'user-agent': 'Heed-Notifier/1',
                    'heed-delivery-id': d.deliveryId,
                    'heed-purpose': d.purpose,
                    ...headers,
                  },
                  content,
                  { allowPrivateNetworks: config.delivery.allowPrivateNetworks },
                  method,
                );
              const { format } = hook;
              if (isHelpdeskFormat(format)) {
                // Into the helpdesk's own ticket, through its API, with its sealed credential.
                const token = await deps.secrets.open(hook.apiToken ?? '', context);
                const call = helpdeskCall({ ...hook, format }, token, d);
                const res = await post(call.headers, JSON.stringify(call.body), call.url, call.method);
                return { ok: isOk(res.status), status: res.status };
              }
              if (format !== 'heed') {
                // The tool's own format: its URL (or PagerDuty's routing key) is the credential.
                const routingKey = hook.routingKey ? await deps.secrets.open(hook.routingKey, context) : '';
                const res = await post({}, JSON.stringify(formattedBody(format, d, link, routingKey)));
                return { ok: isOk(res.status), status: res.status };
              }
              const wall = deps.wallClock.now().getTime();
              const signedAt = Math.floor(wall / 1000);
              // During a rotation both secrets sign (the newest first), until the old one expires.
              const previous =
                hook.previousSecret && Date.parse(hook.previousSecret.until) > wall
                  ? [hook.previousSecret.secret]
                  : [];
              const secrets = await Promise.all(
                [hook.secret ?? '', ...previous].map((sealed) => deps.secrets.open(sealed, context)),
              );
              const res = await post(
                {
                  'heed-signature': sign(secrets, signedAt, body),
                  ...standardHeaders(secrets, d.deliveryId, signedAt, body),
                },
                body,
              );
              return { ok: isOk(res.status), status: res.status };
            },
          },
        ]
      : [],
  );
  const { email } = config.delivery;
  const to = d.recipient.email;
  if (
    deps.email &&
    email.enabled &&
    email.from &&
    d.audience === 'customer' &&
    d.message.format === 'email' &&
    to
  ) {
    const sender = deps.email;
    const from = email.from;
    targets.push({
      key: 'email',
      endpoint: 'ses',
      async send() {
        await sender.send({
          from,
          to,
          subject: d.message.subject ?? d.reference,
          text: d.message.text,
          ...(d.message.html && { html: d.message.html }),
        });
        return { ok: true };
      },
    });
  }
  return targets;
};

/** Why the message has become pointless since it was requested, or null when it still matters. */
const obsolete = (d: DeliveryRecord, ticket: TicketState | null): string | null => {
  const rule = d.obsoleteIf;
  if (!rule || !ticket) return null;
  if (rule.publicReplySince !== undefined && repliedSince(ticket, rule.publicReplySince))
    return 'a person replied before it was delivered';
  if (
    rule.customerMessageSince !== undefined &&
    ticket.lastCustomerMessageAt !== null &&
    ticket.lastCustomerMessageAt >= new Date(rule.customerMessageSince).toISOString()
  )
    return 'the customer wrote before it was delivered';
  if (rule.statusNotIn !== undefined && !rule.statusNotIn.includes(ticket.status))
    return `the ticket became ${ticket.status} before it was delivered`;
  if (rule.openingNot !== undefined && ticket.opening?.key !== rule.openingNot)
    return 'the ticket was reopened again before it was delivered';
  return null;
};

/** The JSON a tenant endpoint receives. Field names are part of the documented contract. */
export const webhookPayload = (d: DeliveryRecord, attempt: number, now: Date) => ({
  id: d.deliveryId,
  purpose: d.purpose,
  tenantId: d.tenantId,
  ticketId: d.ticketId,
  reference: d.reference,
  audience: d.audience,
  ...(d.roles?.length && { roles: d.roles }),
  template: d.template,
  channel: d.channel,
  recipient: d.recipient,
  message: d.message,
  ...(d.promise && { promise: d.promise }),
  ...(d.data && { data: d.data }),
  createdAt: d.createdAt,
  /** This attempt's instant on Heed's clock (the simulated one on a steered local clock). */
  sentAt: now.toISOString(),
  attempt,
});

const acknowledgementSent = (d: DeliveryRecord, now: Date): DomainEvent[] =>
  d.purpose === 'acknowledgement' && d.promise
    ? [
        domainEvent(
          'Acknowledgement Sent',
          {
            tenantId: d.tenantId,
            ticketId: d.ticketId,
            reference: d.reference,
            occurredAt: now.toISOString(),
            emittedAt: now.toISOString(),
            causationId: d.deliveryId,
            actor: 'heed',
            late: false,
          },
          {
            deliveryId: d.deliveryId,
            channel: d.channel,
            locale: d.message.locale,
            promisedBy: d.promise.dueAt,
            reopen: d.openingKey !== 'open',
          },
        ),
      ]
    : [];

/**
 * Delivers one requested message to every endpoint of its audience, signed, and records every
 * attempt on the ticket. Endpoints that already accepted it are not sent to again on a retry;
 * a settled delivery is never sent again (duplicate queue messages are no-ops). Failures throw,
 * so the queue retries with backoff and finally moves the message to the DLQ.
 */
export const deliver = async (
  event: DomainEvent,
  receiveCount: number,
  deps: DeliverDeps,
): Promise<DeliverOutcome> => {
  if (event.detailType !== 'Delivery Requested') return { outcome: 'ignored' };
  const d = await deps.deliveries.get(
    event.detail.tenantId,
    event.detail.ticketId,
    event.detail.data.deliveryId,
  );
  // Failed deliveries are sent again when their message is redriven from the DLQ.
  if (d.status !== 'pending' && d.status !== 'failed') return { outcome: 'duplicate' };
  const now = deps.clock.now();

  const pointless = obsolete(d, await deps.tickets.get(d.tenantId, d.ticketId));
  if (pointless) {
    return (await deps.deliveries.settle(d, 'cancelled', now, [], pointless))
      ? { outcome: 'cancelled', reason: pointless }
      : { outcome: 'duplicate' };
  }

  const targets = targetsFor(d, await deps.configs.configOf(d.tenantId), deps);
  if (targets.length === 0) {
    const reason = 'no delivery endpoint is configured for this audience';
    return (await deps.deliveries.settle(d, 'skipped', now, [], reason))
      ? { outcome: 'skipped', reason }
      : { outcome: 'duplicate' };
  }

  const body = JSON.stringify(webhookPayload(d, receiveCount, now));
  // Every endpoint at once: one slow endpoint (10 s timeout) must not hold up the others.
  const results = await Promise.all(
    targets
      .filter((t) => !d.succeeded.includes(t.key))
      .map(async (target): Promise<DeliveryAttempt> => {
        const base = { at: now.toISOString(), endpoint: target.endpoint, endpointId: target.key };
        try {
          const result = await target.send(body);
          return { ...base, ok: result.ok, ...(result.status !== undefined && { status: result.status }) };
        } catch (error) {
          const { name, message } = errorSummary(error);
          return { ...base, ok: false, error: `${name}: ${message}`.slice(0, 200) };
        }
      }),
  );
  const attempts: DeliveryAttempt[] = results;
  const sent = { attempts, succeeded: results.filter((a) => a.ok).map((a) => a.endpointId) };

  const failed = attempts.filter((a) => !a.ok).length;
  if (failed === 0) {
    // The attempts and the settlement in one write (a lost reply resends: the webhook id is the same).
    const settled = await deps.deliveries.settle(
      d,
      'delivered',
      now,
      acknowledgementSent(d, now),
      undefined,
      sent,
    );
    if (!settled) return { outcome: 'duplicate' };
    if (d.purpose === 'acknowledgement') {
      recordMetric('AcknowledgementsSent', MetricUnit.Count, 1, {
        locale: d.message.locale,
        channel: d.channel ?? 'none',
      });
      recordMetric(
        'AcknowledgementLatency',
        MetricUnit.Milliseconds,
        Math.max(0, now.getTime() - new Date(d.receivedAt).getTime()),
      );
    }
    return { outcome: 'delivered', attempts: d.attempts.length + attempts.length };
  }
  // No purpose dimension: one series to alarm on; the purpose is in the log line.
  recordMetric('DeliveryFailures', MetricUnit.Count, failed);
  // Last try: the message goes to the DLQ after this; say so on the ticket. A redriven delivery
  // that fails again is failed already: its attempts are added on their own.
  const given = `no endpoint accepted it after ${receiveCount} attempts`;
  const settled =
    receiveCount >= MAX_RECEIVE_COUNT && (await deps.deliveries.settle(d, 'failed', now, [], given, sent));
  if (!settled) await deps.deliveries.recordAttempts(d, sent);
  throw new DeliveryFailedError(
    `${failed} of ${attempts.length} endpoints refused delivery ${d.deliveryId} (attempt ${receiveCount})`,
  );
};
