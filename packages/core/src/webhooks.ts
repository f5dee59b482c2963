import { createHash } from 'node:crypto';
import type { Webhook } from '@heed/contracts';

/** A webhook's stable id: the configured one, else derived from its URL (same URL, same id). */
export const webhookId = (hook: Pick<Webhook, 'id' | 'url'>): string =>
  hook.id ?? `wh-${createHash('sha256').update(hook.url).digest('hex').slice(0, 10)}`;

/** Does this endpoint take a message for `audience` addressed to `roles` (internal messages)? */
export const webhookTakes = (
  hook: Pick<Webhook, 'audiences' | 'roles'>,
  audience: 'customer' | 'internal',
  roles: readonly string[],
): boolean =>
  hook.audiences.includes(audience) &&
  (audience === 'customer' ||
    !hook.roles ||
    roles.length === 0 ||
    roles.some((r) => hook.roles?.includes(r)));
