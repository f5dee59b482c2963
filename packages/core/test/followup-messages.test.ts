import type { TenantConfig } from '@heed/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUILT_IN_TEMPLATES,
  FOLLOW_UP_TEXTS,
  feedbackPayload,
  feedbackToken,
  followUpLocale,
  PAGE_TEXTS,
  readFeedbackClaims,
  renderFeedbackPage,
  renderFollowUp,
  SCORE_LABELS,
  splitFeedbackToken,
  validateTenantConfig,
} from '../src';

let config: TenantConfig;
beforeAll(() => {
  const result = validateTenantConfig({
    defaultLocale: 'en',
    defaultTimeZone: 'Asia/Tokyo',
    calendars: { default: { timeZone: 'Asia/Tokyo', hours: { mon: [['09:00', '18:00']] } } },
    sla: { rules: [{ name: 'all', targets: { firstResponse: 60, nextResponse: 60, resolution: 600 } }] },
    followUp: {
      templates: {
        en: { surveySubject: 'Rate us! [{{reference}}]' },
        it: { reminderShort: 'Aspettiamo {{reference}}' },
      },
    },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  config = result.value;
});

const survey = (
  customer: { locale?: string; timeZone?: string; name?: string } | null,
  channel: 'email' | 'chat' = 'email',
) =>
  renderFollowUp({
    kind: 'survey',
    config,
    reference: 'HD-1',
    channel,
    customer,
    pageUrl: 'https://heed.example/v1/feedback/tok',
    scoreUrl: (n) => `https://heed.example/v1/feedback/tok?score=${n}`,
  });

const reminder = (
  reference: string,
  channel: 'email' | 'chat' | 'sms',
  customer: { locale?: string; timeZone?: string },
  closeAt: Date | null,
) => renderFollowUp({ kind: 'reminder', config, reference, channel, customer, closeAt });

describe('follow-up messages', () => {
  it('has every piece in every built-in language the acknowledgements have', () => {
    expect(Object.keys(FOLLOW_UP_TEXTS).sort()).toEqual(Object.keys(BUILT_IN_TEMPLATES).sort());
    for (const [locale, texts] of Object.entries(FOLLOW_UP_TEXTS)) {
      expect(texts.surveyText, locale).toContain('{{scores}}');
      expect(texts.surveyShort, locale).toContain('{{link}}');
      expect(texts.reminderText, locale).toContain('{{closing}}');
      expect(texts.reminderClosing, locale).toContain('{{closeAt}}');
      expect(SCORE_LABELS[locale], locale).toHaveLength(5);
      expect(PAGE_TEXTS[locale]?.pageThanks, locale).toContain('{{score}}');
    }
  });

  it.each(Object.keys(FOLLOW_UP_TEXTS))(
    'renders a survey email in %s with five score links as lines and buttons',
    (locale) => {
      const m = survey({ locale, name: 'Sam' });
      expect(m.locale).toBe(locale);
      expect(m.format).toBe('email');
      for (let n = 1; n <= 5; n++) {
        expect(m.text).toContain(`https://heed.example/v1/feedback/tok?score=${n}`);
        expect(m.html).toContain(`href="https://heed.example/v1/feedback/tok?score=${n}"`);
      }
      expect(m.text).toContain('HD-1');
      expect(m.text).not.toContain('{{');
      expect(m.text).not.toContain('\u0000');
      expect(m.html).not.toContain('\u0000');
      expect(m.dir).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      expect(m.html).toContain(`dir="${m.dir}"`);
    },
  );

  it('writes to other channels a short text with one link to the survey page', () => {
    const m = survey({ locale: 'ja-JP' }, 'chat');
    expect(m).toMatchObject({ format: 'short', locale: 'ja' });
    expect(m.text).toContain('https://heed.example/v1/feedback/tok');
    expect(m.text).not.toContain('score=');
    expect(m.subject).toBeUndefined();
  });

  it('chooses the language as acknowledgements do (zh-TW reads Traditional Chinese), and applies tenant overrides', () => {
    expect(survey({ locale: 'zh-TW' }).locale).toBe('zh-Hant');
    expect(survey({ locale: 'pt-BR' }).locale).toBe('pt');
    expect(survey({ locale: 'nl-NL' }).locale).toBe('en');
    expect(survey(null).subject).toBe('Rate us! [HD-1]');
    expect(followUpLocale(config, { locale: 'it-IT' })).toBe('it');
    // A tenant language with one piece: the rest falls back to English.
    const it = reminder('HD-2', 'sms', { locale: 'it' }, null);
    expect(it.text).toBe('Aspettiamo HD-2');
  });

  it('tells in a reminder when the request will close, in the customer zone, or nothing when it never closes', () => {
    const closeAt = new Date('2026-11-30T09:31:00Z');
    const de = reminder('HD-3', 'email', { locale: 'de-DE', timeZone: 'Europe/Berlin' }, closeAt);
    expect(de.text).toContain('30. November 2026 um 10:31');
    const never = reminder('HD-3', 'email', { locale: 'de' }, null);
    expect(never.text).not.toContain('schließen');
    expect(never.text.endsWith('Nachricht.')).toBe(true);
  });

  it('escapes what a page shows and answers only by a form post (a fetched page records nothing)', () => {
    const page = renderFeedbackPage('en', { view: 'ask', reference: '<b>&', formAction: '?x="' });
    expect(page).toContain('&lt;b&gt;&amp;');
    expect(page).toContain('<form method="post" action="?x=&quot;">');
    // One tap on a score is the post; no score is a link a scanner could fetch.
    expect(page).toContain('<button type="submit" name="score" value="3">3 – Neutral</button>');
    expect(page).not.toContain('href=');
    const thanks = renderFeedbackPage('ar', { view: 'thanks', reference: 'HD-1', score: 2, formAction: '' });
    expect(thanks).toContain('dir="rtl"');
    expect(thanks).toContain('name="score" value="2"');
    expect(renderFeedbackPage('fr', { view: 'expired' })).toContain('expiré');
  });

  it('asks to confirm the score a link carried, preselected and still changeable, with a comment', () => {
    const page = renderFeedbackPage('de', { view: 'confirm', reference: 'HD-9', score: 4, formAction: '' });
    for (const piece of [
      '<p>Bitte bestätigen Sie Ihre Bewertung zu Ihrer Anfrage HD-9. Sie können sie noch ändern.</p>',
      '<form method="post" action="">',
      '<input type="radio" name="score" value="4" checked> 4 – Zufrieden',
      '<input type="radio" name="score" value="1"> 1 –',
      '<textarea id="comment" name="comment" maxlength="5000"></textarea>',
      '<button type="submit">Antwort senden</button>',
    ])
      expect(page).toContain(piece);
    expect(page.match(/ checked/g)).toHaveLength(1);
    // Answered with a comment already: the thanks page asks for none.
    expect(
      renderFeedbackPage('en', { view: 'thanks', reference: 'HD-1', score: 4, formAction: null }),
    ).not.toContain('<form');
    expect(renderFeedbackPage('ja', { view: 'limit' })).toContain('最後にお送りいただいた回答が有効です');
    expect(renderFeedbackPage('en', { view: 'tooMany' })).toContain('try again in an hour');
  });

  it('has every page text in every built-in language', () => {
    expect(Object.keys(PAGE_TEXTS).sort()).toEqual(Object.keys(FOLLOW_UP_TEXTS).sort());
    expect(Object.keys(SCORE_LABELS).sort()).toEqual(Object.keys(FOLLOW_UP_TEXTS).sort());
    for (const [locale, texts] of Object.entries(PAGE_TEXTS))
      for (const [key, text] of Object.entries(texts))
        expect(
          Array.isArray(text) ? text.length : String(text).trim().length,
          `${locale}.${key}`,
        ).toBeGreaterThan(0);
    for (const table of [FOLLOW_UP_TEXTS, PAGE_TEXTS]) {
      const keys = Object.keys(table.en ?? {}).sort();
      for (const texts of Object.values(table)) expect(Object.keys(texts).sort()).toEqual(keys);
    }
  });
});

describe('survey tokens', () => {
  const claims = {
    tenantId: 'acme',
    ticketId: 'T/1 ü',
    cycle: 2,
    expiresAt: new Date('2026-12-24T10:00:00Z'),
    locale: 'zh-Hant',
  };

  it('carries tenant, ticket, cycle, expiry and locale, and splits into payload and MAC', () => {
    const payload = feedbackPayload(claims);
    const token = feedbackToken(payload, new Uint8Array(32).fill(7));
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const parts = splitFeedbackToken(token);
    expect(parts?.payload).toBe(payload);
    expect([...(parts?.mac ?? [])]).toEqual(new Array(32).fill(7));
    expect(readFeedbackClaims(payload)).toEqual(claims);
  });

  it('does not read what is not shaped like a token', () => {
    for (const bad of ['', 'abc', 'a.b.c', 'a.', '.b', 'a+b.c', `${'a'.repeat(2049)}.b`])
      expect(splitFeedbackToken(bad), bad).toBeNull();
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      encode([2, 'a', 'b', 1, 1, 'en']),
      encode([1, 'a', 'b', 1.5, 1, 'en']),
      encode([1, 'a', 3, 1, 1, 'en']),
      encode({ t: 'a' }),
      'not-json',
    ])
      expect(readFeedbackClaims(bad)).toBeNull();
  });

  it("carries the tenant's branding in the signed payload, and keeps only what is well formed", () => {
    const branded = {
      ...claims,
      brand: { name: 'Acme', color: '#b0306a', logoUrl: 'https://cdn.example.com/a.png' },
    };
    expect(readFeedbackClaims(feedbackPayload(branded))).toEqual(branded);
    // A tenant without branding keeps the short link it had.
    expect(feedbackPayload({ ...claims, brand: {} })).toBe(feedbackPayload(claims));
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect(readFeedbackClaims(encode([1, 'a', 'b', 1, 1, 'en', ['A', 'red', 'http://x']]))?.brand).toEqual({
      name: 'A',
    });
  });

  describe('follow-up messages, pieces', () => {
    it('greets by name, and gives the reminder its own subject and a short text with the close date', () => {
      const m = survey({ locale: 'en', name: ' Sam ' });
      expect(m.text.startsWith('Hello Sam,\n\n')).toBe(true);
      expect(m.html).toContain(
        '<a href="https://heed.example/v1/feedback/tok?score=1" title="Very dissatisfied"',
      );
      expect(m.text).toContain('1 – Very dissatisfied: https://heed.example/v1/feedback/tok?score=1');
      expect(m.text).toContain('5 – Very satisfied: https://heed.example/v1/feedback/tok?score=5');
      const closeAt = new Date('2026-11-30T09:31:00Z');
      const email = reminder('HD-4', 'email', { locale: 'en', timeZone: 'UTC' }, closeAt);
      expect(email.subject).toBe('We are waiting for your reply [HD-4]');
      expect(email.text.startsWith('Hello,\n\n')).toBe(true);
      expect(email.html).not.toContain('score=');
      const short = reminder('HD-4', 'chat', { locale: 'en-GB', timeZone: 'UTC' }, closeAt);
      expect(short.text).toBe(
        'We are still waiting for your reply on your request HD-4. Just answer here. If we do not hear from you, we will close the request on Monday, 30 November 2026 at 09:31 UTC.',
      );
    });

    it('shows each page with its own text and, after a score, the comment form', () => {
      const thanks = renderFeedbackPage('en', {
        view: 'thanks',
        reference: 'HD-1',
        score: 4,
        formAction: '',
      });
      for (const piece of [
        '<title>Your feedback</title>',
        '<h1>Your feedback</h1>',
        '<p>Thank you! We recorded your score: 4 of 5.</p>',
        '<form method="post" action="">',
        '<label for="comment">Anything you would like to tell us? (optional)</label>',
        '<textarea id="comment" name="comment" maxlength="5000"></textarea>',
        '<button type="submit">Send</button>',
        '</form>',
      ])
        expect(thanks).toContain(piece);
      expect(renderFeedbackPage('en', { view: 'commented' })).toContain(
        '<p>Thank you, we have your comment.</p>',
      );
      expect(renderFeedbackPage('en', { view: 'invalid' })).toContain('<p>This link is not valid.');
      expect(renderFeedbackPage('de-AT', { view: 'ask', reference: 'X', formAction: '' })).toContain(
        'Sehr zufrieden',
      );
    });

    it('greets in the language of a tag in any case', () => {
      expect(survey({ locale: 'DE-at', name: 'Jo' }).text.startsWith('Hallo Jo,')).toBe(true);
    });

    it('reads tokens up to 2048 characters, and only claims of the right types', () => {
      expect(splitFeedbackToken(`${'a'.repeat(1999)}.${'b'.repeat(48)}`)).not.toBeNull();
      expect(splitFeedbackToken(`${'a'.repeat(2000)}.${'b'.repeat(48)}`)).toBeNull();
      const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      expect(readFeedbackClaims(encode([1, 'a', 'b', 1, 1, 'en']))).not.toBeNull();
      for (const bad of [
        encode([1, 2, 'b', 1, 1, 'en']),
        encode([1, 'a', 'b', 1, 1, 3]),
        encode([1, 'a', 'b', 1, 1.5, 'en']),
        encode([1, 'a', 'b', 1, 1, 'en', 'extra']),
        encode('x'),
      ])
        expect(readFeedbackClaims(bad)).toBeNull();
    });
  });
});
