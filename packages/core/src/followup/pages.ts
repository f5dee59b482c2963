import type { Branding } from '@heed/contracts';
import {
  brandHeader,
  DEFAULT_ACCENT,
  directionOf,
  escapeHtml,
  fill,
  htmlDocument,
  language,
} from '../templates';
import { PAGE_TEXTS, type PageTexts } from './page-texts';
import { labelsOf, SCORES } from './score-labels';

/** The page texts of a locale (a token names the locale its survey was written in). */
export const feedbackTexts = (locale: string): PageTexts =>
  (PAGE_TEXTS[locale] ?? PAGE_TEXTS[language(locale)] ?? PAGE_TEXTS.en) as PageTexts;

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

/**
 * Fits a 360 px phone: nothing wider than the screen (border-box, wrapping buttons), every tap
 * target at least 44 px, logical margins so a right-to-left page mirrors.
 */
const PAGE_HEAD =
  '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>{{title}}</title><style>*,*::before,*::after{box-sizing:border-box}body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5;overflow-wrap:anywhere}h1{font-size:1.5rem}textarea{width:100%;min-height:6rem;font:inherit}fieldset{border:0;padding:0;margin:0 0 1rem;min-width:0}button{min-height:44px;min-width:44px;margin-block:0 6px;margin-inline:0 4px;padding:8px 14px;font:inherit;border:0;border-radius:6px;background:{{accent}};color:#fff}label.score{display:flex;align-items:center;gap:8px;min-height:44px}label.score input{width:24px;height:24px;margin:0}</style></head>\n';

const commentField = (t: PageTexts): string[] => [
  `<p><label for="comment">${escapeHtml(t.commentLabel)}</label></p>`,
  '<p><textarea id="comment" name="comment" maxlength="5000"></textarea></p>',
];

/** The small pages of the survey link, in the survey's language (right to left for Arabic). */
export const renderFeedbackPage = (locale: string, page: FeedbackPage, brand?: Branding): string => {
  const t = feedbackTexts(locale);
  const dir = directionOf(locale);
  const head = fill(PAGE_HEAD, { title: escapeHtml(t.pageTitle), accent: brand?.color ?? DEFAULT_ACCENT });
  const h1 = `${brandHeader(brand)}<h1>${escapeHtml(t.pageTitle)}</h1>`;
  const labels = labelsOf(locale);
  const label = (n: number) => `${n} – ${escapeHtml(labels[n - 1] ?? '')}`;
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
export const FEEDBACK_PAGE_LOCALES: readonly string[] = Object.keys(PAGE_TEXTS);
