import {
  ARABIC_WORDS,
  CHINESE_WORDS,
  ENGLISH_WORDS,
  FRENCH_WORDS,
  GERMAN_WORDS,
  GREEK_WORDS,
  HEBREW_WORDS,
  HINDI_WORDS,
  JAPANESE_WORDS,
  KOREAN_WORDS,
  PORTUGUESE_WORDS,
  RUSSIAN_WORDS,
  SPANISH_WORDS,
  THAI_WORDS,
} from './lexicon.js';
import {GROUP_NAMES, LANGUAGES, type Language, PEOPLE, POLL_OPTIONS, POLL_QUESTIONS} from './vocabulary.js';

/**
 * Content profiles of the generated chats: what a group writes (its script and words), how long its
 * messages are and how many people write. The layout (Android or iOS) is chosen apart: a Hebrew
 * group exports in either. A speed figure measured on one profile only would hold on that
 * generator's text only (issue #14): the `process` benchmark runs them all.
 *
 * System lines and media notes stay in English whatever the profile: they are what a phone set to
 * English prints, and the reading rules classify them by those words.
 */

export const PROFILE_NAMES = ['default', 'hebrew', 'chinese', 'thai', 'mixed'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Words per sentence: a short message most of the time, a long one with `longShare`. */
export interface MessageLengths {
  readonly longShare: number;
  readonly short: readonly [min: number, max: number];
  readonly long: readonly [min: number, max: number];
}

export interface ContentProfile {
  readonly name: ProfileName;
  readonly summary: string;
  readonly languages: readonly Language[];
  /**
   * How words are drawn from a language's list: `uniform` (the default profile, as generated since
   * GENERATOR_VERSION 1, kept so its output does not change), or `zipf` over a list written most
   * frequent first, as words occur in real text (a few very common, a long tail of rare ones).
   */
  readonly wordFrequency: 'uniform' | 'zipf';
  /** Names, most active first; the last writer is always an unsaved number (chat.ts). */
  readonly people: readonly string[];
  /** Writers when the spec does not say. */
  readonly defaultPeople: number;
  readonly groupNames: readonly string[];
  readonly pollQuestions: readonly string[];
  readonly pollOptions: readonly string[];
  /** Share of a person's messages in their own language (the rest in another of the profile's). */
  readonly ownLanguageShare: number;
  readonly lengths: MessageLengths;
  /**
   * Messages that mix languages word by word (`messageShare` of them; in such a message each word
   * is in another language with `wordShare`), as multilingual groups write. None: one language a
   * sentence.
   */
  readonly codeSwitching?: {readonly messageShare: number; readonly wordShare: number};
}

const names = (list: string): string[] => list.split('|');

/** Chinese phrases end in full-width marks; `~` and a laugh are chat's own. */
const CHINESE_ENDINGS = ['。', '？', '！', '～', '哈哈哈'];
/** A full-width comma or an enumeration comma between phrases, or a space, as people type. */
const CHINESE_CLAUSE_MARKS = ['，', '，', '，', '、', ' '];
/** Thai writes words together and puts a space between phrases. */
const THAI_CLAUSE_MARKS = [' '];
const JAPANESE_CLAUSE_MARKS = ['、', '、', ' '];
const JAPANESE_ENDINGS = ['。', '？', '！', '笑'];

const HEBREW: Language = {code: 'he', spaced: true, weight: 6, words: HEBREW_WORDS};
const CHINESE: Language = {
  code: 'zh',
  spaced: false,
  weight: 8,
  words: CHINESE_WORDS,
  clauseMarks: CHINESE_CLAUSE_MARKS,
  endings: CHINESE_ENDINGS,
};
const THAI: Language = {
  code: 'th',
  spaced: false,
  weight: 5,
  words: THAI_WORDS,
  clauseMarks: THAI_CLAUSE_MARKS,
};

/** The 14 languages of the mixed group, weighted as a large international group might write. */
const MIXED_LANGUAGES: readonly Language[] = [
  {code: 'en', spaced: true, weight: 12, words: ENGLISH_WORDS},
  {code: 'pt', spaced: true, weight: 8, words: PORTUGUESE_WORDS},
  {code: 'es', spaced: true, weight: 8, words: SPANISH_WORDS},
  {code: 'de', spaced: true, weight: 6, words: GERMAN_WORDS},
  {code: 'fr', spaced: true, weight: 6, words: FRENCH_WORDS},
  {code: 'ru', spaced: true, weight: 6, words: RUSSIAN_WORDS},
  {code: 'el', spaced: true, weight: 4, words: GREEK_WORDS},
  {code: 'ar', spaced: true, weight: 6, words: ARABIC_WORDS},
  HEBREW,
  {code: 'hi', spaced: true, weight: 6, words: HINDI_WORDS},
  CHINESE,
  {
    code: 'ja',
    spaced: false,
    weight: 6,
    words: JAPANESE_WORDS,
    clauseMarks: JAPANESE_CLAUSE_MARKS,
    endings: JAPANESE_ENDINGS,
  },
  {code: 'ko', spaced: true, weight: 5, words: KOREAN_WORDS},
  THAI,
];

/** Today's generator (GENERATOR_VERSION 1): its output must not change, the cached exports rely on it. */
const DEFAULT_PROFILE: ContentProfile = {
  name: 'default',
  summary: 'the generator of issue #6: 14 languages by person, small vocabularies, 25 writers',
  languages: LANGUAGES,
  wordFrequency: 'uniform',
  people: PEOPLE,
  defaultPeople: 25,
  groupNames: GROUP_NAMES,
  pollQuestions: POLL_QUESTIONS,
  pollOptions: POLL_OPTIONS,
  ownLanguageShare: 0.8,
  lengths: {longShare: 0.1, short: [1, 8], long: [10, 40]},
};

const HEBREW_PROFILE: ContentProfile = {
  name: 'hebrew',
  summary: 'an all-Hebrew group: ~6,300 word forms (prefixed forms, צה״ל and צה"ל), 30 writers',
  languages: [HEBREW],
  wordFrequency: 'zipf',
  people: names(
    'אבי כהן|נועה לוי|יוסי מזרחי|מיכל פרץ|דני ביטון|שירה אברהם|רונית דהן|איתי פרידמן|תמר שפירא|' +
      'עומר אזולאי|יעל גולן|אורי בן דוד|הילה כץ|גיל אוחיון|מאיה רוזן|נדב חדד|ליאת מלכה|עידו ששון|' +
      'רותם וקנין|אלון אשכנזי|שני ברק|אסף נחום|דנה יוסף|רועי טל|ענבל שמעוני|משה גבאי|שרה סויסה|' +
      'יונתן אלמוג|אפרת חזן|ניר סגל|סיגל עמר|אמיר קליין|טל אדלר|קרן ביבי|חן לנדאו|אריאל שטרן',
  ),
  defaultPeople: 30,
  groupNames: names('ועד הבית הרצל 12 🏠|הורים כיתה ג׳2|משפחה ❤️|חברים מהצבא: מחזור 2010'),
  pollQuestions: names('איזה יום הכי נוח?|פיצה או סושי?|מי מגיע לאסיפה?'),
  pollOptions: names('ראשון|שני|חמישי בערב|פיצה|סושי|שניהם'),
  ownLanguageShare: 1,
  // Hebrew words are short (prefixes glued on): a few more of them a message than in English.
  lengths: {longShare: 0.12, short: [1, 10], long: [10, 45]},
};

const CHINESE_PROFILE: ContentProfile = {
  name: 'chinese',
  summary: 'an all-Chinese group, no spaces between words: ~400 words, 30 writers',
  languages: [CHINESE],
  wordFrequency: 'zipf',
  people: names(
    '王伟|李娜|张敏|刘洋|陈静|杨帆|赵磊|黄丽|周杰|吴芳|徐强|孙悦|马超|朱琳|胡斌|郭婷|何军|高洁|林峰|罗丹|' +
      '郑浩|梁雪|谢明|宋佳|唐亮|韩梅|冯涛|邓颖|曹阳|彭飞|曾静怡|萧子涵|王妈妈|李老师|张叔叔|小刘',
  ),
  defaultPeople: 30,
  groupNames: names('幸福小区业主群 🏡|三年级二班家长群|相亲相爱一家人 ❤️|读书会: 2024'),
  pollQuestions: names('哪天最方便？|火锅还是烧烤？|谁参加聚餐？'),
  pollOptions: names('周六|周日|周五晚上|火锅|烧烤|都行'),
  ownLanguageShare: 1,
  lengths: {longShare: 0.1, short: [1, 10], long: [10, 50]},
};

const THAI_PROFILE: ContentProfile = {
  name: 'thai',
  summary: 'an all-Thai group, no spaces between words: ~350 words, 30 writers',
  languages: [THAI],
  wordFrequency: 'zipf',
  people: names(
    'พี่ต้น|น้องมายด์|สมชาย|สมศรี|แพรว|บอส|เจี๊ยบ|กอล์ฟ|ปุ้ย|แอน|นุ่น|ต่าย|เก่ง|ฟ้า|มิ้นท์|ป๊อป|โอ๊ต|' +
      'นก|แบงค์|เฟิร์น|จอย|ตูน|ก้อง|พลอย|น้ำ|อ้อม|เอก|บี|ฝน|ปาล์ม|แม่หน่อย|ครูแดง',
  ),
  defaultPeople: 30,
  groupNames: names('หมู่บ้านสุขใจ 🏡|ผู้ปกครอง ป.3/2|ครอบครัวเรา ❤️|ก๊วนวิ่ง: ทุกเสาร์'),
  pollQuestions: names('วันไหนสะดวกที่สุด?|หมูกระทะหรือชาบู?|ใครไปบ้าง?'),
  pollOptions: names('วันเสาร์|วันอาทิตย์|ศุกร์เย็น|หมูกระทะ|ชาบู|ได้หมด'),
  ownLanguageShare: 1,
  lengths: {longShare: 0.1, short: [1, 10], long: [10, 50]},
};

const MIXED_PROFILE: ContentProfile = {
  name: 'mixed',
  summary: '14 languages mixed within messages, ~8,500 words, 60 writers, long messages',
  languages: MIXED_LANGUAGES,
  wordFrequency: 'zipf',
  people: [
    ...PEOPLE,
    ...names(
      'Noa Levi|Avi כהן|Mei 王|Somchai สมชาย|Yuki 佐藤|Min-jun 김|Aarav शर्मा|Layla حداد|Olivia|Liam|' +
        'Marta Kowalska|Sven|Anaïs|Luca Rossi|Ivan Петров|Eleni Γεωργίου|Omar|Chiara|Pablo|Amara|Tariq|' +
        'Nikos|Sakura|Ji-woo',
    ),
  ],
  defaultPeople: 60,
  groupNames: [...GROUP_NAMES, 'International families 🌍'],
  pollQuestions: POLL_QUESTIONS,
  pollOptions: POLL_OPTIONS,
  ownLanguageShare: 0.6,
  lengths: {longShare: 0.35, short: [2, 12], long: [20, 120]},
  codeSwitching: {messageShare: 0.6, wordShare: 0.3},
};

export const PROFILES: Readonly<Record<ProfileName, ContentProfile>> = {
  default: DEFAULT_PROFILE,
  hebrew: HEBREW_PROFILE,
  chinese: CHINESE_PROFILE,
  thai: THAI_PROFILE,
  mixed: MIXED_PROFILE,
};

export function contentProfile(name: string): ContentProfile {
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`unknown profile ${name}: one of ${PROFILE_NAMES.join(', ')}`);
  }
  return PROFILES[name as ProfileName];
}
