/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import {
  DEFAULT_TENANT_CONFIG,
  type FeedbackPage,
  renderAcknowledgement,
  renderFeedbackPage,
  renderFollowUp,
  validateTenantConfig,
} from '@heed/core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, phoneBrowser } from '../support/chromium';

/**
 * The pages and e-mails customers see, in a real browser: headless Chromium at a 360 px phone's
 * width, in English, Japanese and Arabic. Screenshots go to test-results/pages/.
 */

const brand = { name: 'Acme Support', color: '#b0306a', logoUrl: 'https://cdn.example.com/acme.png' };
const configured = validateTenantConfig({ ...DEFAULT_TENANT_CONFIG, branding: brand });
if (!configured.ok) throw new Error(JSON.stringify(configured.issues));
const config = configured.value;

const VIEWS: readonly FeedbackPage[] = [
  { view: 'ask', reference: 'ACME-1042', formAction: '' },
  { view: 'confirm', reference: 'ACME-1042', score: 4, formAction: '' },
  { view: 'thanks', reference: 'ACME-1042', score: 2, formAction: '' },
  { view: 'commented' },
  { view: 'expired' },
];
const LOCALES = ['en', 'ja', 'ar'] as const;
const customer = (locale: string) => ({ id: 'c-1', name: 'Ana Lima', locale, timeZone: 'Europe/Lisbon' });

const phone = phoneBrowser();

/** Lays `html` out on a 360 × 740 phone and reads what the layout rules need. */
const layout = async (html: string, shot: string) => {
  const page = await phone.page();
  // The logo is the tenant's; here it answers with nothing (the page must hold without it).
  await page.route('https://cdn.example.com/**', (route) => route.fulfill({ status: 404, body: '' }));
  await page.setContent(html, { waitUntil: 'load' });
  const facts = await page.evaluate(() => {
    const doc = document.documentElement;
    const targets = [...document.querySelectorAll('button, a[href], label.score, textarea')].map((el) => {
      const r = el.getBoundingClientRect();
      return {
        tag: el.tagName,
        text: (el.textContent ?? '').trim().slice(0, 20),
        width: r.width,
        height: r.height,
        left: r.left,
        right: r.right,
      };
    });
    const brandBox = document.querySelector('.brand')?.getBoundingClientRect() ?? null;
    return {
      scrollWidth: doc.scrollWidth,
      dir: getComputedStyle(document.body).direction,
      targets,
      brand: brandBox && { left: brandBox.left, right: brandBox.right },
      logoAlt: document.querySelector('.brand img')?.getAttribute('alt') ?? null,
      accent: (() => {
        const b = document.querySelector('button');
        return b ? getComputedStyle(b).backgroundColor : null;
      })(),
    };
  });
  await phone.screenshot(page, `${shot}.png`);
  await page.close();
  return facts;
};

const expectPhoneRules = (facts: Awaited<ReturnType<typeof layout>>, locale: string, what: string) => {
  expect(facts.scrollWidth, `${what}: no horizontal scroll at 360 px`).toBeLessThanOrEqual(360);
  expect(facts.dir, what).toBe(locale === 'ar' ? 'rtl' : 'ltr');
  for (const t of facts.targets) {
    if (t.tag === 'TEXTAREA') continue;
    expect(t.height, `${what}: tap target "${t.text}" is ${t.height} px high`).toBeGreaterThanOrEqual(44);
    expect(t.width, `${what}: tap target "${t.text}" is ${t.width} px wide`).toBeGreaterThanOrEqual(44);
    expect(t.right, `${what}: "${t.text}" ends inside the screen`).toBeLessThanOrEqual(360);
    expect(t.left, `${what}: "${t.text}" starts inside the screen`).toBeGreaterThanOrEqual(0);
  }
};

describe.skipIf(!chromiumAvailable)('the pages customers see, in Chromium at 360 px', () => {
  for (const locale of LOCALES)
    it(`survey pages in ${locale}: fit the phone, 44 px targets, the tenant's brand, mirrored when right to left`, async () => {
      for (const view of VIEWS) {
        const facts = await layout(renderFeedbackPage(locale, view, brand), `survey-${view.view}-${locale}`);
        const what = `${view.view} (${locale})`;
        expectPhoneRules(facts, locale, what);
        expect(facts.logoAlt, what).toBe('Acme Support');
        if (view.view === 'ask' || view.view === 'confirm')
          expect(facts.accent, what).toBe('rgb(176, 48, 106)');
        expect(facts.brand, what).not.toBeNull();
      }
    });

  for (const locale of LOCALES)
    it(`HTML e-mails in ${locale}: the acknowledgement and the survey fit the phone and carry the brand`, async () => {
      const ack = renderAcknowledgement({
        config,
        reference: 'ACME-1042',
        channel: 'email',
        customer: customer(locale),
        promise: new Date('2026-11-23T13:00:00Z'),
        reopen: false,
      });
      const survey = renderFollowUp({
        kind: 'survey',
        config,
        reference: 'ACME-1042',
        channel: 'email',
        customer: customer(locale),
        pageUrl: 'https://api.example.com/v1/feedback/t',
        scoreUrl: (n) => `https://api.example.com/v1/feedback/t?score=${n}`,
      });
      for (const [name, message] of [
        ['acknowledgement', ack],
        ['survey', survey],
      ] as const) {
        expect(message.html, name).toBeDefined();
        const facts = await layout(message.html ?? '', `email-${name}-${locale}`);
        expectPhoneRules(facts, locale, `${name} e-mail (${locale})`);
        expect(facts.logoAlt).toBe('Acme Support');
      }
    });
});
