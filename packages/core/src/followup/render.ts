import type { Channel, FollowUpTemplateOverride, TenantConfig } from '@heed/contracts';
import { greetingOf } from '../greetings';
import {
  brandHeader,
  chooseLocale,
  DEFAULT_ACCENT,
  EMAIL_HEAD,
  escapeHtml,
  fill,
  formatFor,
  formatPromise,
  htmlDocument,
  language,
  paragraphsHtml,
  type RenderedMessage,
} from '../templates';
import { labelsOf, SCORES } from './score-labels';
import { FOLLOW_UP_TEXTS, type FollowUpTexts } from './texts';

/** A follow-up message as stored on its delivery (an acknowledgement without its promise). */
export type RenderedFollowUp = Omit<RenderedMessage, 'promiseText'>;

interface Customer {
  readonly name?: string;
  readonly locale?: string;
  readonly timeZone?: string;
}

export type FollowUpMessageInput = {
  readonly config: TenantConfig;
  readonly reference: string;
  readonly channel: Channel | null;
  readonly customer: Customer | null;
} & (
  | {
      readonly kind: 'survey';
      /** The survey page (five buttons), and the one-click link of each score. */
      readonly pageUrl: string;
      readonly scoreUrl: (score: number) => string;
    }
  | { readonly kind: 'reminder'; readonly closeAt: Date | null }
);

const textsFor = (locale: string, override: FollowUpTemplateOverride = {}): FollowUpTexts => ({
  ...((FOLLOW_UP_TEXTS[locale] ?? FOLLOW_UP_TEXTS[language(locale)] ?? FOLLOW_UP_TEXTS.en) as FollowUpTexts),
  ...override,
});

/** Languages a follow-up can be written in: the built-in ones and the tenant's own. */
const followUpLocales = (config: TenantConfig): string[] => [
  ...Object.keys(FOLLOW_UP_TEXTS),
  ...Object.keys(config.followUp.templates),
];

/** The language a follow-up to this customer is written in (the survey token carries it to the pages). */
export const followUpLocale = (config: TenantConfig, customer: Customer | null): string =>
  chooseLocale(config, customer, followUpLocales(config)).locale;

/**
 * Renders a survey or a reminder in the customer's language (as acknowledgements are chosen:
 * their locale, the tenant's default, English), with dates in their zone. Email gets a subject,
 * text and HTML (the survey's five score links as buttons); other channels a short text with one
 * link to the survey page.
 */
export const renderFollowUp = (input: FollowUpMessageInput): RenderedFollowUp => {
  const { config, customer } = input;
  const { locale, dir, formatLocale, timeZone } = chooseLocale(config, customer, followUpLocales(config));
  const t = textsFor(
    locale,
    config.followUp.templates[locale] ?? config.followUp.templates[language(locale)],
  );
  // The acknowledgements' greeting (their whole texts stay out of this bundle).
  const ack = greetingOf(locale);
  const name = customer?.name?.trim();
  const closeAt =
    input.kind === 'reminder' && input.closeAt ? formatPromise(input.closeAt, formatLocale, timeZone) : null;
  const values: Record<string, string> = {
    reference: input.reference,
    greeting: name ? fill(ack.greeting, { name }) : ack.greetingAnonymous,
    link: input.kind === 'survey' ? input.pageUrl : '',
    closeAt: closeAt ?? '',
    closing: closeAt ? fill(t.reminderClosing, { closeAt }) : '',
  };
  const format = formatFor(input.channel);
  const common = { locale, dir, format, timeZone };
  if (format === 'short')
    return {
      ...common,
      text: fill(input.kind === 'survey' ? t.surveyShort : t.reminderShort, values).trim(),
    };
  const labels = labelsOf(locale);
  const scoreLines =
    input.kind === 'survey' ? SCORES.map((n) => `${n} – ${labels[n - 1]}: ${input.scoreUrl(n)}`) : [];
  const template = input.kind === 'survey' ? t.surveyText : t.reminderText;
  const text = fill(template, { ...values, scores: scoreLines.join('\n') }).trim();
  // The HTML is built from the template, so the score paragraph becomes buttons, not URLs.
  const marked = fill(template, { ...values, scores: '\u0000scores\u0000' }).trim();
  const html = paragraphsHtml(marked, (p) =>
    p === '\u0000scores\u0000' && input.kind === 'survey'
      ? scoreButtons(labels, input.scoreUrl, config.branding?.color ?? DEFAULT_ACCENT)
      : null,
  );
  return {
    ...common,
    subject: fill(input.kind === 'survey' ? t.surveySubject : t.reminderSubject, values),
    text,
    html: htmlDocument(locale, dir, `${brandHeader(config.branding)}${html}`, EMAIL_HEAD),
  };
};

/** The score links of a survey e-mail: each a tap target of 44 px at least, in the tenant's colour. */
const scoreButtons = (
  labels: readonly string[],
  scoreUrl: (score: number) => string,
  accent: string,
): string =>
  `<p>${SCORES.map(
    (n) =>
      `<a href="${escapeHtml(scoreUrl(n))}" title="${escapeHtml(labels[n - 1] ?? '')}" style="display:inline-block;min-height:44px;min-width:44px;box-sizing:border-box;margin-block:0 6px;margin-inline:0 4px;padding:10px 14px;border:1px solid ${accent};border-radius:6px;color:${accent};text-decoration:none">${n} – ${escapeHtml(labels[n - 1] ?? '')}</a>`,
  ).join('')}</p>`;
