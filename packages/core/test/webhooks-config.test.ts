import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_CONFIG, validateTenantConfig, webhookId, webhookTakes } from '../src';

describe('webhooks', () => {
  it('use the configured id, else one derived from the URL (stable, distinct per URL)', () => {
    expect(webhookId({ id: 'crm', url: 'https://a.example.com' })).toBe('crm');
    expect(webhookId({ url: 'https://a.example.com' })).toMatch(/^wh-[0-9a-f]{10}$/);
    expect(webhookId({ url: 'https://a.example.com' })).toBe(webhookId({ url: 'https://a.example.com' }));
    expect(webhookId({ url: 'https://a.example.com' })).not.toBe(webhookId({ url: 'https://b.example.com' }));
  });

  it('take a message by audience, and internal ones by role when they filter', () => {
    const both = { audiences: ['customer', 'internal'] as ('customer' | 'internal')[] };
    const leads = { audiences: ['internal'] as ('customer' | 'internal')[], roles: ['group-lead'] };
    expect(webhookTakes(both, 'customer', [])).toBe(true);
    expect(webhookTakes(both, 'internal', ['manager'])).toBe(true);
    expect(webhookTakes(leads, 'customer', [])).toBe(false);
    expect(webhookTakes(leads, 'internal', ['manager'])).toBe(false);
    expect(webhookTakes(leads, 'internal', ['manager', 'group-lead'])).toBe(true);
    expect(webhookTakes(leads, 'internal', [])).toBe(true); // not addressed to a role: everyone internal
    expect(webhookTakes({ ...leads, audiences: ['customer'], roles: ['x'] }, 'customer', [])).toBe(true);
  });

  it('must have distinct ids within a tenant', () => {
    const config = (webhooks: unknown[]) =>
      validateTenantConfig({ ...DEFAULT_TENANT_CONFIG, delivery: { webhooks } });
    const secret = 'a-secret-of-16-chars+';
    const twice = config([
      { id: 'x', url: 'https://a.example.com', secret },
      { id: 'x', url: 'https://b.example.com', secret },
    ]);
    expect(twice.ok ? [] : twice.issues).toEqual([
      { path: 'delivery.webhooks.1.id', message: expect.stringContaining('duplicate endpoint id "x"') },
    ]);
    const sameUrl = config([
      { url: 'https://a.example.com', secret },
      { url: 'https://a.example.com', secret },
    ]);
    expect(sameUrl.ok).toBe(false);
    expect(
      config([
        { url: 'https://a.example.com', secret },
        { url: 'https://a.example.com', secret, id: 'b' },
      ]).ok,
    ).toBe(true);
  });
});

describe('the default configuration', () => {
  it('is what the README promises: weekdays 09:00-17:00 UTC; urgent 1 h around the clock, high 4 business hours, the rest 8', () => {
    const { calendars, sla, defaultLocale, defaultTimeZone } = DEFAULT_TENANT_CONFIG;
    expect({ defaultLocale, defaultTimeZone }).toStrictEqual({ defaultLocale: 'en', defaultTimeZone: 'UTC' });
    const day = [['09:00', '17:00']];
    expect(calendars.default).toStrictEqual({
      timeZone: 'UTC',
      hours: { mon: day, tue: day, wed: day, thu: day, fri: day },
      holidays: [],
    });
    expect(sla.rules.map((r) => [r.name, r.match, r.hours, r.calendar, r.targets])).toStrictEqual([
      [
        'urgent',
        { priority: ['urgent'] },
        'calendar',
        'default',
        { firstResponse: 60, nextResponse: 60, resolution: 480 },
      ],
      [
        'high',
        { priority: ['high'] },
        'business',
        'default',
        { firstResponse: 240, nextResponse: 240, resolution: 1440 },
      ],
      ['standard', {}, 'business', 'default', { firstResponse: 480, nextResponse: 480, resolution: 2400 }],
    ]);
    expect(validateTenantConfig(DEFAULT_TENANT_CONFIG)).toEqual({ ok: true, value: DEFAULT_TENANT_CONFIG });
  });

  it('fills what a configuration leaves out: the policy, and business hours in the tenant’s own zone', () => {
    const only = validateTenantConfig({ defaultTimeZone: 'Europe/Berlin', delivery: { webhooks: [] } });
    expect(only.ok && only.value.sla).toStrictEqual(DEFAULT_TENANT_CONFIG.sla);
    expect(only.ok && only.value.calendars).toStrictEqual({
      default: { ...DEFAULT_TENANT_CONFIG.calendars.default, timeZone: 'Europe/Berlin' },
    });
    // Calendars of its own without a "default" one: the default rules cannot find theirs.
    const own = validateTenantConfig({ calendars: { tokyo: { timeZone: 'Asia/Tokyo', hours: {} } } });
    expect(own.ok ? [] : own.issues.map((i) => i.path)).toEqual([
      'calendars.tokyo.hours',
      'sla.rules.0.calendar',
      'sla.rules.1.calendar',
      'sla.rules.2.calendar',
    ]);
  });
});
