import type { Channel, FollowUpTemplateOverride, TenantConfig } from '@heed/contracts';
import { greetingOf } from '../greetings';
import {
  chooseLocale,
  directionOf,
  escapeHtml,
  fill,
  formatFor,
  formatPromise,
  htmlDocument,
  language,
  paragraphsHtml,
  type RenderedMessage,
} from '../templates';
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

/** The page texts of a locale (a token names the locale its survey was written in). */
export const feedbackTexts = (locale: string, config?: TenantConfig): FollowUpTexts =>
  textsFor(locale, config?.followUp.templates[locale]);

const SCORES = [1, 2, 3, 4, 5] as const;

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
  const scoreLines =
    input.kind === 'survey' ? SCORES.map((n) => `${n} – ${t.scoreLabels[n - 1]}: ${input.scoreUrl(n)}`) : [];
  const template = input.kind === 'survey' ? t.surveyText : t.reminderText;
  const text = fill(template, { ...values, scores: scoreLines.join('\n') }).trim();
  // The HTML is built from the template, so the score paragraph becomes buttons, not URLs.
  const marked = fill(template, { ...values, scores: '\u0000scores\u0000' }).trim();
  const html = paragraphsHtml(marked, (p) =>
    p === '\u0000scores\u0000' && input.kind === 'survey' ? scoreButtons(t, input.scoreUrl) : null,
  );
  return {
    ...common,
    subject: fill(input.kind === 'survey' ? t.surveySubject : t.reminderSubject, values),
    text,
    html: htmlDocument(locale, dir, html),
  };
};

const scoreButtons = (t: FollowUpTexts, scoreUrl: (score: number) => string): string =>
  `<p>${SCORES.map(
    (n) =>
      `<a href="${escapeHtml(scoreUrl(n))}" title="${escapeHtml(t.scoreLabels[n - 1] ?? '')}" style="display:inline-block;margin:0 4px 4px 0;padding:8px 14px;border:1px solid #888;border-radius:4px;text-decoration:none">${n} – ${escapeHtml(t.scoreLabels[n - 1] ?? '')}</a>`,
  ).join('')}</p>`;

/**
 * The pages of the survey link. Mail scanners (Safe Links, Mimecast, Proofpoint) fetch every link
 * of a message, so fetching a page never records anything: every answer is a form POST, which
 * scanners do not send. From the e-mail a person clicks a score and confirms it once (`confirm`);
 * from the page a chat or SMS link opens, the one tap on a score is that POST (`ask`).
 */
export type FeedbackPage =
  | { readonly view: 'ask'; readonly reference: string; readonly formAction: string }
  | {
      readonly view: 'confirm';
      readonly reference: string;
      readonly score: number;
      readonly formAction: string;
    }
  | {
      readonly view: 'thanks';
      readonly reference: string;
      readonly score: number;
      /** Where "add a comment" posts; null when the answer came with one. */
      readonly formAction: string | null;
    }
  | { readonly view: 'commented' }
  | { readonly view: 'limit' }
  | { readonly view: 'tooMany' }
  | { readonly view: 'invalid' }
  | { readonly view: 'expired' };

const PAGE_HEAD =
  '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>{{title}}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}textarea{width:100%;min-height:6rem}button{min-height:44px;margin:0 4px 6px 0;padding:8px 14px;font:inherit}label.score{display:block;min-height:44px}</style></head>\n';

const commentField = (t: FollowUpTexts): string[] => [
  `<p><label for="comment">${escapeHtml(t.commentLabel)}</label></p>`,
  '<p><textarea id="comment" name="comment" maxlength="5000"></textarea></p>',
];

/** The small pages of the survey link, in the survey's language (right to left for Arabic). */
export const renderFeedbackPage = (locale: string, page: FeedbackPage, config?: TenantConfig): string => {
  const t = feedbackTexts(locale, config);
  const dir = directionOf(locale);
  const head = fill(PAGE_HEAD, { title: escapeHtml(t.pageTitle) });
  const h1 = `<h1>${escapeHtml(t.pageTitle)}</h1>`;
  const label = (n: number) => `${n} – ${escapeHtml(t.scoreLabels[n - 1] ?? '')}`;
  const form = (action: string, lines: string[]) =>
    [`<form method="post" action="${escapeHtml(action)}">`, ...lines, '</form>'].join('\n');
  const body = (() => {
    switch (page.view) {
      case 'ask':
        return [
          h1,
          `<p>${escapeHtml(fill(t.pageQuestion, { reference: page.reference }))}</p>`,
          form(page.formAction, [
            ...commentField(t),
            `<p>${SCORES.map((n) => `<button type="submit" name="score" value="${n}">${label(n)}</button>`).join('')}</p>`,
          ]),
        ].join('\n');
      case 'confirm':
        return [
          h1,
          `<p>${escapeHtml(fill(t.pageConfirm, { reference: page.reference }))}</p>`,
          form(page.formAction, [
            `<fieldset><legend>${escapeHtml(fill(t.pageQuestion, { reference: page.reference }))}</legend>`,
            ...SCORES.map(
              (n) =>
                `<label class="score"><input type="radio" name="score" value="${n}"${n === page.score ? ' checked' : ''}> ${label(n)}</label>`,
            ),
            '</fieldset>',
            ...commentField(t),
            `<p><button type="submit">${escapeHtml(t.answerSend)}</button></p>`,
          ]),
        ].join('\n');
      case 'thanks':
        return [
          h1,
          `<p>${escapeHtml(fill(t.pageThanks, { score: String(page.score) }))}</p>`,
          ...(page.formAction === null
            ? []
            : [
                form(page.formAction, [
                  `<input type="hidden" name="score" value="${page.score}">`,
                  ...commentField(t),
                  `<p><button type="submit">${escapeHtml(t.commentSend)}</button></p>`,
                ]),
              ]),
        ].join('\n');
      case 'commented':
        return `${h1}\n<p>${escapeHtml(t.commentThanks)}</p>`;
      case 'limit':
        return `${h1}\n<p>${escapeHtml(t.answerLimit)}</p>`;
      case 'tooMany':
        return `${h1}\n<p>${escapeHtml(t.tooMany)}</p>`;
      case 'invalid':
        return `${h1}\n<p>${escapeHtml(t.invalidLink)}</p>`;
      case 'expired':
        return `${h1}\n<p>${escapeHtml(t.expiredLink)}</p>`;
    }
  })();
  return htmlDocument(locale, dir, body, head);
};

/** Locales the pages can be shown in (for a link that names none: Accept-Language). */
export const FEEDBACK_PAGE_LOCALES: readonly string[] = Object.keys(FOLLOW_UP_TEXTS);
