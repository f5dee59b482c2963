import type { Branding, Channel, TemplateOverride, TenantConfig } from '@heed/contracts';
import { type Greeting, greetingOf } from './greetings';

/** The text pieces of one language. Placeholders: {{greeting}}, {{name}}, {{reference}}, {{promise}}. */
export interface TemplateSet extends Greeting {
  readonly dir: 'ltr' | 'rtl';
  readonly subject: string;
  readonly text: string;
  readonly short: string;
  readonly reopenSubject: string;
  readonly reopenText: string;
  readonly reopenShort: string;
}

export const BUILT_IN_TEMPLATES: Readonly<Record<string, Omit<TemplateSet, keyof Greeting>>> = {
  en: {
    dir: 'ltr',
    subject: 'We received your request [{{reference}}]',
    text: '{{greeting}}\n\nThank you for contacting us. We have received your request; its reference is {{reference}}.\n\nA member of our team will reply by {{promise}}.\n\nIf you want to add anything, just reply to this message.',
    short: 'Thanks for your message. Your reference is {{reference}}; a person will reply by {{promise}}.',
    reopenSubject: 'Your request {{reference}} is open again',
    reopenText:
      '{{greeting}}\n\nWe have reopened your request {{reference}}.\n\nA member of our team will reply by {{promise}}.',
    reopenShort: 'We reopened your request {{reference}}; a person will reply by {{promise}}.',
  },
  ja: {
    dir: 'ltr',
    subject: 'お問い合わせを受け付けました [{{reference}}]',
    text: '{{greeting}}\n\nお問い合わせいただきありがとうございます。お問い合わせを受け付けました。受付番号は {{reference}} です。\n\n{{promise}}までに担当者よりご連絡いたします。\n\n追加の情報がございましたら、このメッセージにご返信ください。',
    short:
      'お問い合わせありがとうございます。受付番号は {{reference}} です。{{promise}}までに担当者よりご連絡いたします。',
    reopenSubject: 'お問い合わせ {{reference}} を再開しました',
    reopenText:
      '{{greeting}}\n\nお問い合わせ {{reference}} を再開しました。\n\n{{promise}}までに担当者よりご連絡いたします。',
    reopenShort: 'お問い合わせ {{reference}} を再開しました。{{promise}}までに担当者よりご連絡いたします。',
  },
  ko: {
    dir: 'ltr',
    subject: '문의가 접수되었습니다 [{{reference}}]',
    text: '{{greeting}}\n\n문의해 주셔서 감사합니다. 문의가 접수되었으며 접수 번호는 {{reference}}입니다.\n\n{{promise}}까지 담당자가 답변드리겠습니다.\n\n추가로 전달하실 내용이 있으면 이 메시지에 회신해 주세요.',
    short:
      '문의해 주셔서 감사합니다. 접수 번호는 {{reference}}이며, {{promise}}까지 담당자가 답변드리겠습니다.',
    reopenSubject: '문의 {{reference}}가 다시 열렸습니다',
    reopenText:
      '{{greeting}}\n\n문의 {{reference}}를 다시 열었습니다.\n\n{{promise}}까지 담당자가 답변드리겠습니다.',
    reopenShort: '문의 {{reference}}를 다시 열었습니다. {{promise}}까지 담당자가 답변드리겠습니다.',
  },
  ar: {
    dir: 'rtl',
    subject: 'تلقّينا طلبك [{{reference}}]',
    text: '{{greeting}}\n\nشكراً لتواصلك معنا. لقد تلقّينا طلبك ورقمه المرجعي {{reference}}.\n\nسيرد عليك أحد أعضاء فريقنا قبل {{promise}}.\n\nإذا أردت إضافة أي تفاصيل، فيكفي أن ترد على هذه الرسالة.',
    short: 'شكراً لرسالتك. رقمك المرجعي {{reference}}، وسيرد عليك أحد موظفينا قبل {{promise}}.',
    reopenSubject: 'أعدنا فتح طلبك {{reference}}',
    reopenText:
      '{{greeting}}\n\nلقد أعدنا فتح طلبك {{reference}}.\n\nسيرد عليك أحد أعضاء فريقنا قبل {{promise}}.',
    reopenShort: 'أعدنا فتح طلبك {{reference}}، وسيرد عليك أحد موظفينا قبل {{promise}}.',
  },
  ro: {
    dir: 'ltr',
    subject: 'Am primit solicitarea dumneavoastră [{{reference}}]',
    text: '{{greeting}}\n\nVă mulțumim că ne-ați contactat. Am primit solicitarea dumneavoastră, cu numărul de referință {{reference}}.\n\nUn membru al echipei noastre vă va răspunde cel târziu {{promise}}.\n\nDacă doriți să adăugați ceva, răspundeți la acest mesaj.',
    short:
      'Vă mulțumim pentru mesaj. Referința dumneavoastră este {{reference}}; vă vom răspunde cel târziu {{promise}}.',
    reopenSubject: 'Solicitarea {{reference}} a fost redeschisă',
    reopenText:
      '{{greeting}}\n\nAm redeschis solicitarea dumneavoastră {{reference}}.\n\nUn membru al echipei noastre vă va răspunde cel târziu {{promise}}.',
    reopenShort: 'Am redeschis solicitarea {{reference}}; vă vom răspunde cel târziu {{promise}}.',
  },
  es: {
    dir: 'ltr',
    subject: 'Hemos recibido su solicitud [{{reference}}]',
    text: '{{greeting}}\n\nGracias por ponerse en contacto con nosotros. Hemos recibido su solicitud con la referencia {{reference}}.\n\nUna persona de nuestro equipo le responderá a más tardar el {{promise}}.\n\nSi desea añadir algo, simplemente responda a este mensaje.',
    short:
      'Gracias por su mensaje. Su referencia es {{reference}}; una persona le responderá a más tardar el {{promise}}.',
    reopenSubject: 'Hemos reabierto su solicitud {{reference}}',
    reopenText:
      '{{greeting}}\n\nHemos reabierto su solicitud {{reference}}.\n\nUna persona de nuestro equipo le responderá a más tardar el {{promise}}.',
    reopenShort: 'Hemos reabierto su solicitud {{reference}}; le responderemos a más tardar el {{promise}}.',
  },
  fr: {
    dir: 'ltr',
    subject: 'Nous avons bien reçu votre demande [{{reference}}]',
    text: '{{greeting}}\n\nMerci de nous avoir contactés. Nous avons bien reçu votre demande, enregistrée sous la référence {{reference}}.\n\nUn membre de notre équipe vous répondra au plus tard le {{promise}}.\n\nSi vous souhaitez ajouter des précisions, répondez simplement à ce message.',
    short:
      'Merci pour votre message. Votre référence est {{reference}} ; une personne vous répondra au plus tard le {{promise}}.',
    reopenSubject: 'Votre demande {{reference}} a été rouverte',
    reopenText:
      '{{greeting}}\n\nNous avons rouvert votre demande {{reference}}.\n\nUn membre de notre équipe vous répondra au plus tard le {{promise}}.',
    reopenShort:
      'Nous avons rouvert votre demande {{reference}} ; nous vous répondrons au plus tard le {{promise}}.',
  },
  de: {
    dir: 'ltr',
    subject: 'Wir haben Ihre Anfrage erhalten [{{reference}}]',
    text: '{{greeting}}\n\nvielen Dank für Ihre Nachricht. Wir haben Ihre Anfrage erhalten; Ihre Referenznummer lautet {{reference}}.\n\nEin Mitglied unseres Teams antwortet Ihnen spätestens am {{promise}}.\n\nWenn Sie etwas ergänzen möchten, antworten Sie einfach auf diese Nachricht.',
    short:
      'Danke für Ihre Nachricht. Ihre Referenz ist {{reference}}; wir antworten Ihnen spätestens am {{promise}}.',
    reopenSubject: 'Ihre Anfrage {{reference}} wurde wieder geöffnet',
    reopenText:
      '{{greeting}}\n\nwir haben Ihre Anfrage {{reference}} wieder geöffnet.\n\nEin Mitglied unseres Teams antwortet Ihnen spätestens am {{promise}}.',
    reopenShort:
      'Wir haben Ihre Anfrage {{reference}} wieder geöffnet und antworten spätestens am {{promise}}.',
  },
  pt: {
    dir: 'ltr',
    subject: 'Recebemos a sua solicitação [{{reference}}]',
    text: '{{greeting}}\n\nObrigado por entrar em contato conosco. Recebemos a sua solicitação, com a referência {{reference}}.\n\nUma pessoa da nossa equipe responderá até {{promise}}.\n\nSe quiser acrescentar algo, basta responder a esta mensagem.',
    short:
      'Obrigado pela sua mensagem. A sua referência é {{reference}}; uma pessoa responderá até {{promise}}.',
    reopenSubject: 'A sua solicitação {{reference}} foi reaberta',
    reopenText:
      '{{greeting}}\n\nReabrimos a sua solicitação {{reference}}.\n\nUma pessoa da nossa equipe responderá até {{promise}}.',
    reopenShort: 'Reabrimos a sua solicitação {{reference}}; responderemos até {{promise}}.',
  },
  zh: {
    dir: 'ltr',
    subject: '我们已收到您的请求 [{{reference}}]',
    text: '{{greeting}}\n\n感谢您联系我们。我们已收到您的请求，编号为 {{reference}}。\n\n我们的工作人员将在 {{promise}} 之前回复您。\n\n如需补充信息，请直接回复此消息。',
    short: '感谢您的留言。您的请求编号为 {{reference}}，工作人员将在 {{promise}} 之前回复您。',
    reopenSubject: '您的请求 {{reference}} 已重新打开',
    reopenText:
      '{{greeting}}\n\n我们已重新打开您的请求 {{reference}}。\n\n我们的工作人员将在 {{promise}} 之前回复您。',
    reopenShort: '您的请求 {{reference}} 已重新打开，工作人员将在 {{promise}} 之前回复您。',
  },
  // Traditional Chinese: Taiwan, Hong Kong and Macau (zh-TW, zh-HK, zh-MO, zh-Hant).
  'zh-Hant': {
    dir: 'ltr',
    subject: '我們已收到您的請求 [{{reference}}]',
    text: '{{greeting}}\n\n感謝您與我們聯繫。我們已收到您的請求，編號為 {{reference}}。\n\n我們的工作人員將在 {{promise}} 之前回覆您。\n\n如需補充資訊，請直接回覆此訊息。',
    short: '感謝您的留言。您的請求編號為 {{reference}}，工作人員將在 {{promise}} 之前回覆您。',
    reopenSubject: '您的請求 {{reference}} 已重新開啟',
    reopenText:
      '{{greeting}}\n\n我們已重新開啟您的請求 {{reference}}。\n\n我們的工作人員將在 {{promise}} 之前回覆您。',
    reopenShort: '您的請求 {{reference}} 已重新開啟，工作人員將在 {{promise}} 之前回覆您。',
  },
};

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur']);
export const language = (locale: string): string => locale.split('-')[0]?.toLowerCase() ?? locale;

/** The script a tag implies (zh-TW → Hant, zh-CN → Hans), or null when it cannot tell. */
const scriptOf = (tag: string): string | null => {
  try {
    return new Intl.Locale(tag).maximize().script ?? null;
  } catch {
    return null;
  }
};

/**
 * Picks the template locale for a customer: their locale, then the tenant's default, then
 * English; at each step an exact tag (pt-BR) before its language and script (zh-TW reads
 * Traditional Chinese, zh-Hant) before its bare language (pt, zh).
 */
export const negotiateLocale = (
  wanted: readonly (string | undefined)[],
  available: readonly string[],
): string => {
  const lower = new Map(available.map((a) => [a.toLowerCase(), a]));
  for (const tag of [...wanted, 'en']) {
    if (!tag) continue;
    const script = scriptOf(tag);
    for (const candidate of [tag, ...(script ? [`${language(tag)}-${script}`] : []), language(tag)]) {
      const found = lower.get(candidate.toLowerCase());
      if (found) return found;
    }
  }
  return 'en';
};

export const fill = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) => values[key] ?? '');

export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** "Monday, November 23, 2026 at 10:00 AM GMT+9", in the customer's locale and zone. */
export const formatPromise = (dueAt: Date, locale: string, timeZone: string): string =>
  new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(dueAt);

export type MessageFormat = 'email' | 'short';

/** Email for email; a short text for chat, SMS, social, phone (SMS follow-up), web and API. */
export const formatFor = (channel: Channel | null): MessageFormat =>
  channel === 'email' || channel === null ? 'email' : 'short';

export interface RenderedMessage {
  /** Template locale used (after negotiation). */
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
  readonly format: MessageFormat;
  readonly subject?: string;
  readonly text: string;
  readonly html?: string;
  /** The promise as shown to the customer. */
  readonly promiseText: string;
  readonly timeZone: string;
}

export interface AcknowledgementInput {
  readonly config: TenantConfig;
  readonly reference: string;
  readonly channel: Channel | null;
  readonly customer: { readonly name?: string; readonly locale?: string; readonly timeZone?: string } | null;
  readonly promise: Date;
  readonly reopen: boolean;
}

/**
 * Renders the acknowledgement in the customer's language, with the promise formatted in their
 * locale and time zone (falling back to the tenant's defaults). Tenant overrides replace single
 * pieces of a built-in language, or add a language of their own.
 */
/** Text direction of a locale's script. */
export const directionOf = (locale: string): 'ltr' | 'rtl' =>
  RTL_LANGUAGES.has(language(locale)) ? 'rtl' : 'ltr';

/** The language a customer is written to in, and how their dates are shown. */
export interface LocaleChoice {
  /** Template locale (after negotiation). */
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
  /** Dates use the customer's own tag when it is of the chosen language (pt-BR, not pt). */
  readonly formatLocale: string;
  readonly timeZone: string;
}

export const chooseLocale = (
  config: Pick<TenantConfig, 'defaultLocale' | 'defaultTimeZone'>,
  customer: { readonly locale?: string; readonly timeZone?: string } | null,
  available: readonly string[],
): LocaleChoice => {
  const locale = negotiateLocale([customer?.locale, config.defaultLocale], available);
  return {
    locale,
    dir: directionOf(locale),
    formatLocale:
      customer?.locale && language(customer.locale) === language(locale) ? customer.locale : locale,
    timeZone: customer?.timeZone ?? config.defaultTimeZone,
  };
};

/** Paragraphs (blank-line separated) as HTML; `special` renders a paragraph itself (null: as text). */
export const paragraphsHtml = (text: string, special: (p: string) => string | null = () => null): string =>
  text
    .split(/\n{2,}/)
    .map((p) => special(p) ?? `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');

/** What an HTML e-mail's head says: a phone's width, text that wraps (clients that read <style> use it). */
export const EMAIL_HEAD =
  '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:0 auto;padding:0 12px;line-height:1.5;overflow-wrap:anywhere}</style></head>\n';

/** Heed's accent where a tenant set none. */
export const DEFAULT_ACCENT = '#1f5fbf';

/**
 * The tenant's name and logo above a page or an e-mail, with inline styles (mail clients drop
 * <style>); logical properties, so a right-to-left page mirrors it.
 */
export const brandHeader = (brand: Branding | undefined): string => {
  if (!brand?.name && !brand?.logoUrl) return '';
  const accent = brand.color ?? DEFAULT_ACCENT;
  const logo = brand.logoUrl
    ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.name ?? '')}" style="max-height:48px;max-width:100%;vertical-align:middle">`
    : '';
  const name =
    brand.name && !brand.logoUrl
      ? `<strong style="font-size:1.25rem">${escapeHtml(brand.name)}</strong>`
      : '';
  return `<div class="brand" style="border-block-end:3px solid ${accent};padding-block:8px;margin-block-end:16px">${logo}${name}</div>`;
};

export const htmlDocument = (locale: string, dir: 'ltr' | 'rtl', body: string, head = ''): string =>
  `<!doctype html>\n<html lang="${escapeHtml(locale)}" dir="${dir}">\n${head}<body dir="${dir}">\n${body}\n</body>\n</html>`;

/**
 * Renders the acknowledgement in the customer's language, with the promise formatted in their
 * locale and time zone (falling back to the tenant's defaults). Tenant overrides replace single
 * pieces of a built-in language, or add a language of their own.
 */
export const renderAcknowledgement = (input: AcknowledgementInput): RenderedMessage => {
  const { config, customer } = input;
  const overrides = config.acknowledgement.templates;
  const { locale, dir, formatLocale, timeZone } = chooseLocale(config, customer, [
    ...Object.keys(BUILT_IN_TEMPLATES),
    ...Object.keys(overrides),
  ]);
  const base = {
    ...greetingOf(locale),
    ...(BUILT_IN_TEMPLATES[locale] ?? BUILT_IN_TEMPLATES[language(locale)] ?? BUILT_IN_TEMPLATES.en),
  } as TemplateSet;
  const override: TemplateOverride = overrides[locale] ?? overrides[language(locale)] ?? {};
  const set: TemplateSet = { ...base, ...override, dir };
  const promiseText = formatPromise(input.promise, formatLocale, timeZone);
  const name = customer?.name?.trim();
  const values = {
    name: name ?? '',
    reference: input.reference,
    promise: promiseText,
    greeting: name ? fill(set.greeting, { name }) : set.greetingAnonymous,
  };
  const format = formatFor(input.channel);
  const common = { locale, dir: set.dir, format, promiseText, timeZone };
  if (format === 'short')
    return { ...common, text: fill(input.reopen ? set.reopenShort : set.short, values) };
  const text = fill(input.reopen ? set.reopenText : set.text, values);
  return {
    ...common,
    subject: fill(input.reopen ? set.reopenSubject : set.subject, values),
    text,
    html: htmlDocument(locale, set.dir, `${brandHeader(config.branding)}${paragraphsHtml(text)}`, EMAIL_HEAD),
  };
};
