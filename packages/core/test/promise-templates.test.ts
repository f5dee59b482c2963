import type { TenantConfig } from '@heed/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUILT_IN_TEMPLATES,
  DEFAULT_TENANT_CONFIG,
  isOpen,
  matchRule,
  negotiateLocale,
  renderAcknowledgement,
  responsePromise,
  validateTenantConfig,
} from '../src';

const valid = (input: unknown): TenantConfig => {
  const result = validateTenantConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
};

const tokyoHours = [
  ['09:00', '12:00'],
  ['13:00', '18:00'],
];
// Built in a hook, not at import: a mutant that breaks validation must fail tests, not the file load.
let config: TenantConfig;
beforeAll(() => {
  config = valid({
    defaultLocale: 'en',
    defaultTimeZone: 'Asia/Tokyo',
    calendars: {
      default: {
        timeZone: 'Asia/Tokyo',
        hours: { mon: tokyoHours, tue: tokyoHours, wed: tokyoHours, thu: tokyoHours, fri: tokyoHours },
      },
    },
    sla: {
      rules: [
        {
          name: 'vip-chat',
          match: { tier: ['gold'], channel: ['chat'] },
          targets: { firstResponse: 15, nextResponse: 30, resolution: 240 },
        },
        {
          name: 'urgent',
          match: { priority: ['urgent'] },
          hours: 'calendar',
          targets: { firstResponse: 60, nextResponse: 60, resolution: 480 },
        },
        { name: 'standard', targets: { firstResponse: 240, nextResponse: 120, resolution: 2400 } },
      ],
    },
  });
});

describe('SLA rule matching', () => {
  it('takes the first rule whose every criterion matches', () => {
    expect(matchRule(config, { priority: 'normal', channel: 'chat', tier: 'gold' }).name).toBe('vip-chat');
    expect(matchRule(config, { priority: 'urgent', channel: 'chat', tier: 'gold' }).name).toBe('vip-chat');
    expect(matchRule(config, { priority: 'urgent', channel: 'email', tier: 'gold' }).name).toBe('urgent');
    expect(matchRule(config, { priority: 'normal', channel: 'chat' }).name).toBe('standard');
    expect(matchRule(config, { priority: 'low', channel: null }).name).toBe('standard');
  });
});

describe('SLA rule matching, criterion by criterion', () => {
  const rules = (match: Record<string, unknown>) =>
    valid({
      calendars: { default: { timeZone: 'UTC', hours: { mon: [['09:00', '17:00']] } } },
      sla: {
        rules: [
          { name: 'special', match, targets: { firstResponse: 1, nextResponse: 1, resolution: 1 } },
          { name: 'rest', targets: { firstResponse: 2, nextResponse: 2, resolution: 2 } },
        ],
      },
    });
  it('needs a tier to match a tier rule, and a channel to match a channel rule', () => {
    const tier = rules({ tier: ['gold'] });
    expect(matchRule(tier, { priority: 'low', channel: 'email', tier: 'gold' }).name).toBe('special');
    expect(matchRule(tier, { priority: 'low', channel: 'email', tier: 'silver' }).name).toBe('rest');
    expect(matchRule(tier, { priority: 'low', channel: 'email' }).name).toBe('rest');
    const channel = rules({ channel: ['sms'] });
    expect(matchRule(channel, { priority: 'low', channel: 'sms' }).name).toBe('special');
    expect(matchRule(channel, { priority: 'low', channel: 'chat' }).name).toBe('rest');
    expect(matchRule(channel, { priority: 'low', channel: null }).name).toBe('rest');
  });

  it('falls back to the last rule when a stored configuration matches nothing, and refuses one without rules', () => {
    const strict = { ...rules({ priority: ['urgent'] }) };
    const noCatchAll = { ...strict, sla: { ...strict.sla, rules: strict.sla.rules.slice(0, 1) } };
    expect(matchRule(noCatchAll, { priority: 'low', channel: null }).name).toBe('special');
    expect(() =>
      matchRule({ ...strict, sla: { ...strict.sla, rules: [] } }, { priority: 'low', channel: null }),
    ).toThrow('tenant configuration has no SLA rule');
    const missing = { ...strict, calendars: {} };
    expect(() =>
      responsePromise(missing, { priority: 'low', channel: null }, 'first_response', new Date()),
    ).toThrow('SLA rule rest names a missing calendar default');
  });
});

describe('responsePromise', () => {
  it('promises a Monday time inside business hours for a ticket opened Friday 18:30 in Tokyo', () => {
    const promise = responsePromise(
      config,
      { priority: 'normal', channel: 'email' },
      'first_response',
      new Date('2026-11-20T18:30:00+09:00'),
    );
    expect(promise.dueAt.toISOString()).toBe(new Date('2026-11-23T14:00:00+09:00').toISOString()); // 3 h before lunch + 1 h after
    expect(isOpen(config.calendars.default as never, new Date(promise.dueAt.getTime() - 1))).toBe(true);
    expect(promise).toMatchObject({
      rule: 'standard',
      targetMinutes: 240,
      hours: 'business',
      timeZone: 'Asia/Tokyo',
    });
  });

  it('counts calendar hours for rules that say so, and next-response targets after a reopen', () => {
    const urgent = responsePromise(
      config,
      { priority: 'urgent', channel: 'email' },
      'first_response',
      new Date('2026-11-21T03:00:00+09:00'),
    );
    expect(urgent.dueAt.toISOString()).toBe(new Date('2026-11-21T04:00:00+09:00').toISOString());
    const reopened = responsePromise(
      config,
      { priority: 'normal', channel: 'email' },
      'next_response',
      new Date('2026-11-24T17:00:00+09:00'),
    );
    expect(reopened.dueAt.toISOString()).toBe(new Date('2026-11-25T10:00:00+09:00').toISOString());
  });
});

describe('validateTenantConfig', () => {
  it('accepts the shipped default', () => {
    expect(validateTenantConfig(DEFAULT_TENANT_CONFIG).ok).toBe(true);
  });

  it('names every problem with its path', () => {
    const result = validateTenantConfig({
      defaultTimeZone: 'Atlantis/Capital',
      calendars: { office: { timeZone: 'Europe/Bucharest', hours: { mon: [['17:00', '09:00']] } } },
      sla: {
        rules: [
          { name: 'a', calendar: 'nope', targets: { firstResponse: 60, nextResponse: 60, resolution: 60 } },
          {
            name: 'a',
            match: { priority: ['high'] },
            calendar: 'office',
            targets: { firstResponse: -5, nextResponse: 60, resolution: 60 },
          },
        ],
      },
      delivery: { webhooks: [{ url: 'ftp://x', secret: 'short' }] },
    });
    expect(result.ok ? [] : result.issues.map((i) => i.path).sort()).toEqual(
      [
        'defaultTimeZone',
        'delivery.webhooks.0.secret',
        'delivery.webhooks.0.url',
        'sla.rules.1.targets.firstResponse',
      ].sort(),
    );
    // Once the shape is right, the meaning is checked.
    const semantic = validateTenantConfig({
      calendars: { office: { timeZone: 'Europe/Bucharest', hours: { mon: [['17:00', '09:00']] } } },
      sla: {
        rules: [
          { name: 'a', calendar: 'nope', targets: { firstResponse: 60, nextResponse: 60, resolution: 60 } },
          {
            name: 'a',
            match: { priority: ['high'] },
            calendar: 'office',
            targets: { firstResponse: 5, nextResponse: 60, resolution: 60 },
          },
        ],
      },
      delivery: { email: { enabled: true } },
    });
    expect(semantic.ok ? [] : semantic.issues).toEqual([
      { path: 'calendars.office.hours.mon.0', message: '17:00 is not before 09:00' },
      { path: 'calendars.office.hours', message: 'the calendar is never open' },
      { path: 'sla.rules.0.calendar', message: 'no calendar named "nope"' },
      { path: 'sla.rules.1.name', message: 'duplicate rule name "a"' },
      {
        path: 'sla.rules.1.match',
        message:
          'the last rule must match every ticket (an empty match), so that every ticket gets a promise',
      },
      { path: 'delivery.email.from', message: 'required when email delivery is enabled' },
    ]);
  });

  it("names every problem in one pass: the schema's, and the checks across the sections that are valid", () => {
    const result = validateTenantConfig({
      calendars: { office: { timeZone: 'Asia/Tokyo', hours: { mon: [['09:00', '18:00']] } } },
      sla: {
        rules: [
          { name: 'a', calendar: 'nope', targets: { firstResponse: 60, nextResponse: 60, resolution: 60 } },
        ],
      },
      delivery: {
        webhooks: [{ id: 'x', url: 'not a url', secret: 'a-secret-of-16-chars', audiences: ['customer'] }],
      },
      followUp: { lowScore: 9 },
    });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([
      'followUp.lowScore',
      'delivery.webhooks.0.url',
      'sla.rules.0.calendar',
    ]);
  });

  it('refuses keys it does not know, naming each: a typo is never silently dropped', () => {
    const result = validateTenantConfig({
      slaa: {},
      delivery: {
        webhooks: [{ url: 'https://x.example/h', secret: '0123456789abcdef', formatt: 'slack' }],
        emial: { enabled: false },
      },
      followUp: { survey: { enabled: true, afterr: 60 } },
    });
    expect(result.ok ? [] : result.issues.map((i) => i.path).sort()).toEqual(
      ['delivery.emial', 'delivery.webhooks.0.formatt', 'followUp.survey.afterr', 'slaa'].sort(),
    );
    expect(result.ok ? '' : result.issues[0]?.message).toContain('unknown key');
  });

  it('refuses what a calendar cannot count: a year-long target on a one-hour week, a ladder beyond it', () => {
    const result = validateTenantConfig({
      calendars: {
        thin: { timeZone: 'UTC', hours: { mon: [['09:00', '10:00']] } },
        office: { timeZone: 'UTC', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] } },
      },
      sla: {
        rules: [
          {
            name: 'thin',
            match: { priority: ['low'] },
            calendar: 'thin',
            targets: { firstResponse: 60, nextResponse: 60, resolution: 525_600 },
          },
          // Around the clock, a year is just a year.
          {
            name: 'any',
            hours: 'calendar',
            calendar: 'thin',
            targets: { firstResponse: 525_600, nextResponse: 1, resolution: 1 },
          },
          {
            name: 'office',
            calendar: 'office',
            targets: { firstResponse: 60, nextResponse: 60, resolution: 600 },
          },
        ],
        escalation: [{ offset: 525_600, notify: ['manager'] }],
      },
    });
    expect(result.ok ? [] : result.issues).toEqual([
      {
        path: 'sla.escalation.0.offset',
        message: expect.stringContaining(
          'the firstResponse target plus this offset (525660 minutes, rule "thin")',
        ),
      },
      {
        path: 'sla.rules.0.targets.resolution',
        message:
          '525600 minutes is more than ten years of the "thin" calendar\'s hours (60 minutes a week, so at most 31200 minutes)',
      },
    ]);
    // Ten years of that week is fine, to the minute.
    const edge = validateTenantConfig({
      calendars: { thin: { timeZone: 'UTC', hours: { mon: [['09:00', '10:00']] } } },
      sla: {
        rules: [
          {
            name: 'thin',
            calendar: 'thin',
            targets: { firstResponse: 31_200, nextResponse: 60, resolution: 60 },
          },
        ],
        escalation: [],
      },
    });
    expect(edge.ok).toBe(true);
  });
});

describe('negotiateLocale', () => {
  const available = ['en', 'ja', 'pt', 'zh', 'pt-BR'];
  it('prefers the exact tag, then the language, then the tenant default, then English', () => {
    expect(negotiateLocale(['pt-BR'], available)).toBe('pt-BR');
    expect(negotiateLocale(['pt-PT'], available)).toBe('pt');
    expect(negotiateLocale(['ja-JP'], available)).toBe('ja');
    expect(negotiateLocale(['sv-SE', 'ja'], available)).toBe('ja');
    expect(negotiateLocale(['sv-SE', undefined], available)).toBe('en');
  });

  it('reads the script a tag implies: Traditional Chinese for Taiwan, Hong Kong and Macau', () => {
    const withHant = [...available, 'zh-Hant'];
    for (const tag of ['zh-TW', 'zh-HK', 'zh-MO', 'zh-Hant', 'zh-Hant-TW'])
      expect(negotiateLocale([tag], withHant), tag).toBe('zh-Hant');
    for (const tag of ['zh-CN', 'zh-SG', 'zh', 'zh-Hans'])
      expect(negotiateLocale([tag], withHant), tag).toBe('zh');
    // Without a Traditional set, Taiwan still gets Chinese rather than English.
    expect(negotiateLocale(['zh-TW'], available)).toBe('zh');
  });
});

describe('renderAcknowledgement', () => {
  const promise = new Date('2026-11-23T04:00:00Z'); // 13:00 in Tokyo
  const render = (
    locale: string | undefined,
    channel: 'email' | 'chat' = 'email',
    extra: Partial<Parameters<typeof renderAcknowledgement>[0]> = {},
  ) =>
    renderAcknowledgement({
      config,
      reference: 'HD-7K2M9QXA',
      channel,
      customer: { name: 'Aiko <script>', ...(locale && { locale }), timeZone: 'Asia/Tokyo' },
      promise,
      reopen: false,
      ...extra,
    });

  it.each([
    ['en-US', 'We received your request', 'Monday, November 23, 2026'],
    ['ja-JP', 'お問い合わせを受け付けました', '2026年11月23日月曜日'],
    ['ko-KR', '문의가 접수되었습니다', '2026년 11월 23일 월요일'],
    ['ar', 'تلقّينا طلبك', 'الاثنين'],
    ['ro-RO', 'Am primit solicitarea', 'luni, 23 noiembrie 2026'],
    ['es-ES', 'Hemos recibido su solicitud', 'lunes, 23 de noviembre de 2026'],
    ['fr-FR', 'Nous avons bien reçu votre demande', 'lundi 23 novembre 2026'],
    ['de-DE', 'Wir haben Ihre Anfrage erhalten', 'Montag, 23. November 2026'],
    ['pt-BR', 'Recebemos a sua solicitação', 'segunda-feira, 23 de novembro de 2026'],
    ['zh-CN', '我们已收到您的请求', '2026年11月23日星期一'],
    ['zh-TW', '我們已收到您的請求', '2026年11月23日星期一 下午1:00'],
    ['zh-HK', '我們已收到您的請求', '2026年11月23日星期一'],
  ])(
    'renders %s with the reference and the promise in the customer’s locale and zone',
    (locale, subject, date) => {
      const message = render(locale);
      expect(message.subject).toContain(subject);
      expect(message.subject).toContain('HD-7K2M9QXA');
      expect(message.text).toContain('HD-7K2M9QXA');
      expect(message.promiseText).toContain(date);
      expect(message.text).toContain(message.promiseText);
      expect(message.html).toContain(`dir="${locale === 'ar' ? 'rtl' : 'ltr'}"`);
      expect(message.html).not.toContain('<script>');
      expect(message.html).toContain('Aiko &lt;script&gt;');
    },
  );

  it('has every built-in language complete', () => {
    for (const [lang, set] of Object.entries(BUILT_IN_TEMPLATES)) {
      for (const key of ['subject', 'text', 'short', 'reopenSubject', 'reopenText', 'reopenShort'] as const) {
        expect(set[key], `${lang}.${key}`).toContain('{{reference}}');
        if (key !== 'subject' && key !== 'reopenSubject')
          expect(set[key], `${lang}.${key}`).toContain('{{promise}}');
      }
    }
    expect(Object.keys(BUILT_IN_TEMPLATES).sort()).toEqual([
      'ar',
      'de',
      'en',
      'es',
      'fr',
      'ja',
      'ko',
      'pt',
      'ro',
      'zh',
      'zh-Hant',
    ]);
  });

  it('sends a short text on chat channels', () => {
    const message = render('ja-JP', 'chat');
    expect(message.format).toBe('short');
    expect(message.subject).toBeUndefined();
    expect(message.text).toMatch(/^お問い合わせありがとうございます。受付番号は HD-7K2M9QXA です。/);
  });

  it('falls back to the tenant locale and zone when the customer gives none', () => {
    const message = renderAcknowledgement({
      config,
      reference: 'HD-1',
      channel: 'email',
      customer: null,
      promise,
      reopen: false,
    });
    expect(message.locale).toBe('en');
    expect(message.timeZone).toBe('Asia/Tokyo');
    expect(message.text.startsWith('Hello,')).toBe(true);
    expect(message.promiseText).toContain('1:00');
  });

  it('uses the reopen wording on reopen', () => {
    expect(render('fr', 'email', { reopen: true }).subject).toBe('Votre demande HD-7K2M9QXA a été rouverte');
  });

  it('applies tenant overrides over the built-in language', () => {
    const custom = valid({
      ...config,
      acknowledgement: { templates: { de: { subject: 'Danke! {{reference}}' } } },
    });
    const message = renderAcknowledgement({
      config: custom,
      reference: 'HD-2',
      channel: 'email',
      customer: { locale: 'de-AT' },
      promise,
      reopen: false,
    });
    expect(message.subject).toBe('Danke! HD-2');
    expect(message.text).toContain('spätestens am');
  });
});
