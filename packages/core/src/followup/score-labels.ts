import { language } from '../templates';

export const SCORES = [1, 2, 3, 4, 5] as const;

/** The five scores of a survey, 1 to 5, in each built-in language: the messages and the pages show them. */
export const SCORE_LABELS: Readonly<Record<string, readonly [string, string, string, string, string]>> = {
  en: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
  ja: ['とても不満', '不満', '普通', '満足', 'とても満足'],
  ko: ['매우 불만족', '불만족', '보통', '만족', '매우 만족'],
  ar: ['غير راضٍ إطلاقاً', 'غير راضٍ', 'محايد', 'راضٍ', 'راضٍ جداً'],
  ro: ['Foarte nemulțumit', 'Nemulțumit', 'Neutru', 'Mulțumit', 'Foarte mulțumit'],
  es: ['Muy insatisfecho', 'Insatisfecho', 'Neutral', 'Satisfecho', 'Muy satisfecho'],
  fr: ['Très insatisfait', 'Insatisfait', 'Neutre', 'Satisfait', 'Très satisfait'],
  de: ['Sehr unzufrieden', 'Unzufrieden', 'Neutral', 'Zufrieden', 'Sehr zufrieden'],
  pt: ['Muito insatisfeito', 'Insatisfeito', 'Neutro', 'Satisfeito', 'Muito satisfeito'],
  zh: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
  'zh-Hant': ['非常不滿意', '不滿意', '普通', '滿意', '非常滿意'],
};

/** The score labels of a locale: its own, its language's, else English. */
export const labelsOf = (locale: string): readonly string[] =>
  (SCORE_LABELS[locale] ?? SCORE_LABELS[language(locale)] ?? SCORE_LABELS.en) as readonly string[];
