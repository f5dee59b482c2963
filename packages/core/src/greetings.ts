/** How a message to a customer opens, per language; shared by acknowledgements and follow-ups. */
export interface Greeting {
  /** Placeholder {{name}}. */
  readonly greeting: string;
  /** When the name is unknown. */
  readonly greetingAnonymous: string;
}

export const GREETINGS: Readonly<Record<string, Greeting>> = {
  en: { greeting: 'Hello {{name}},', greetingAnonymous: 'Hello,' },
  ja: { greeting: '{{name}} 様', greetingAnonymous: 'お客様' },
  ko: { greeting: '{{name}}님, 안녕하세요.', greetingAnonymous: '안녕하세요.' },
  ar: { greeting: 'مرحباً {{name}}،', greetingAnonymous: 'مرحباً،' },
  ro: { greeting: 'Bună ziua, {{name}},', greetingAnonymous: 'Bună ziua,' },
  es: { greeting: 'Hola, {{name}}:', greetingAnonymous: 'Hola:' },
  fr: { greeting: 'Bonjour {{name}},', greetingAnonymous: 'Bonjour,' },
  de: { greeting: 'Hallo {{name}},', greetingAnonymous: 'Guten Tag,' },
  pt: { greeting: 'Olá, {{name}},', greetingAnonymous: 'Olá,' },
  zh: { greeting: '{{name}}，您好：', greetingAnonymous: '您好：' },
  'zh-Hant': { greeting: '{{name}}，您好：', greetingAnonymous: '您好：' },
};

const languageOf = (locale: string): string => locale.split('-')[0]?.toLowerCase() ?? locale;

/** The greeting of a template locale: its own, its language's, or English. */
export const greetingOf = (locale: string): Greeting =>
  (GREETINGS[locale] ?? GREETINGS[languageOf(locale)] ?? GREETINGS.en) as Greeting;
