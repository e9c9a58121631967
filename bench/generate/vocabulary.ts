/**
 * The words, names and emoji generated chats are made of. Real group chats mix scripts (Latin with
 * accents, Cyrillic, Greek, Arabic and Hebrew written right to left, Devanagari, Thai, CJK without
 * spaces), emoji built from several code points (skin tones, zero-width-joiner families, flags,
 * variation selectors), and characters outside the Basic Multilingual Plane: a parser that is fast
 * on ASCII only would look better here than it is, so the mix is deliberate.
 *
 * Lists are written as one string split on a separator, which keeps this file readable.
 */

export interface Language {
  readonly code: string;
  readonly words: readonly string[];
  /** CJK and Thai write without spaces between words. */
  readonly spaced: boolean;
  /** How often a message is in this language, relative to the others. */
  readonly weight: number;
  /**
   * Marks between phrases of a language written without spaces (a comma, a space in Thai); none:
   * the words just run on. The default profile's languages have none.
   */
  readonly clauseMarks?: readonly string[];
  /** How a sentence ends in this language, where it is not `?`, `!` or `...` (Chinese `。？！`). */
  readonly endings?: readonly string[];
}

const words = (list: string): string[] => list.split(' ');
const items = (list: string): string[] => list.split('|');

/** `e` + U+0301: a decomposed accent, which a parser must keep verbatim (no normalisation). */
const DECOMPOSED_E = 'e\u0301';
const ZWJ = '\u200d';

export const LANGUAGES: readonly Language[] = [
  {
    code: 'en',
    spaced: true,
    weight: 30,
    words: words(
      'the meeting is tomorrow at library who can bring snacks I think we should start earlier thanks ' +
        'everyone for coming great idea see you there running late sorry book chapter finished reading next ' +
        'week park weather looks good rain maybe car share parking lol yes no photos from yesterday dinner ' +
        'on Friday sounds perfect kids school',
    ),
  },
  {
    code: 'pt',
    spaced: true,
    weight: 15,
    words: words(
      'amanhã reunião você não obrigado obrigada café ação também porque então vamos às horas pão de queijo ' +
        'até logo saudades praça coração ônibus está chovendo muito legal gente boa noite feliz aniversário',
    ),
  },
  {
    code: 'es',
    spaced: true,
    weight: 10,
    words: words(
      'mañana niño año qué gracias ¿vamos? ¡genial! reunión está aquí después tarde también cumpleaños ' +
        'señora pequeño más café nos vemos muy bien',
    ),
  },
  {
    code: 'de',
    spaced: true,
    weight: 8,
    words: words(
      'Straße Grüße über schön Mädchen Bücher morgen Treffen danke Fußball Wetter heute Abend gemütlich ' +
        'Frühstück später gerne natürlich Kuchen',
    ),
  },
  {
    code: 'fr',
    spaced: true,
    weight: 7,
    words: [
      ...words(
        'déjà très où garçon ça fenêtre à demain réunion merci bientôt café crème Noël août naïf cœur soirée',
      ),
      `${DECOMPOSED_E}le${DECOMPOSED_E}ve`,
    ],
  },
  {
    code: 'ru',
    spaced: true,
    weight: 5,
    words: words('привет завтра встреча спасибо книга хорошо сегодня вечером ёлка друзья'),
  },
  {
    code: 'el',
    spaced: true,
    weight: 2,
    words: words('καλημέρα ευχαριστώ αύριο συνάντηση βιβλίο φίλοι θάλασσα ωραία'),
  },
  {
    code: 'ar',
    spaced: true,
    weight: 4,
    words: words('مرحبا شكرا غدا اجتماع كتاب صباح الخير إن شاء الله جميل أصدقاء'),
  },
  {code: 'he', spaced: true, weight: 3, words: words('שלום תודה מחר פגישה ספר בוקר טוב חברים ערב נהדר')},
  {code: 'hi', spaced: true, weight: 4, words: words('नमस्ते धन्यवाद कल बैठक किताब अच्छा दोस्त शाम ज़रूर चलो')},
  {
    code: 'zh',
    spaced: false,
    weight: 4,
    words: words('你好 谢谢 明天 会议 图书馆 我们 一起 吃饭 好的 没问题 𠮷野家'),
  },
  {code: 'ja', spaced: false, weight: 3, words: words('こんにちは ありがとう 明日 会議 本 また ね 了解です')},
  {code: 'ko', spaced: true, weight: 2, words: words('안녕하세요 감사합니다 내일 회의 책 좋아요 친구')},
  {code: 'th', spaced: false, weight: 3, words: words('สวัสดี ขอบคุณ พรุ่งนี้ ประชุม หนังสือ ครับ ค่ะ')},
];

/** Single code points, skin tones, ZWJ sequences, flags, keycaps and variation selectors. */
export const EMOJI: readonly string[] = [
  ...items('😀|😂|🙏|👍|👍🏽|❤️|🎉|🔥|🤔|😅|🇧🇷|🇩🇪|🇯🇵|😍|🙌🏿|☕|📚|🥳|🫠|1️⃣'),
  `👩${ZWJ}👩${ZWJ}👧${ZWJ}👦`,
  `👨🏾${ZWJ}💻`,
  `🏳️${ZWJ}🌈`,
  `🧑🏻${ZWJ}🤝${ZWJ}🧑🏿`,
];

/**
 * People in the generated group, most active first (activity falls off with rank). Names use many
 * scripts, one carries an emoji, one contains `" - "` (a contact saved with a note); people who are
 * not saved contacts are added in chat.ts, printed the way each platform prints them.
 */
export const PEOPLE: readonly string[] = items(
  'Ana Souza|Bruno Lima|Carla Mendes|Dmitri Volkov|Émile Laurent|Fatima Al-Sayed|Gabriel|Hana 🌸|' +
    'Ingrid Müller|João Pedro|Kenji 田中|Lucía Fernández|Mohammed|Noa כהן|Olga Петрова|Priya Sharma|' +
    'Quentin|Rafael - Trabalho|Sofia Παπαδοπούλου|Tomás|Ursula|Vikram|Wen 李|Xochitl|Yasmin|Zoë|Ahmed|' +
    'Beatriz|Chen Wei|Diego|Elif|Farah|Giulia|Hiroshi|Isabela|Jonas|Kwame|Leila|Mateus|Nadia',
);

/** Unsaved numbers as WhatsApp prints them: wrapped in U+202A…U+202C, no-break spaces inside. */
export const PHONE_NAMES: readonly string[] = [
  '\u202a+55\u00a011\u00a098765-4321\u202c',
  '\u202a+44\u00a07700\u00a0900123\u202c',
  '\u202a+1\u00a0(415)\u00a0555-0199\u202c',
];

export const LINKS: readonly string[] = items(
  'https://example.org/events/2024/book-club|https://www.youtube.com/watch?v=dQw4w9WgXcQ|' +
    'https://maps.app.goo.gl/abc123XYZ|https://en.wikipedia.org/wiki/WhatsApp|' +
    'https://news.example.com/article?id=42&ref=share',
);

export const POLL_QUESTIONS: readonly string[] = items(
  'Which day works best?|Pizza or sushi?|Next book: fiction or not?',
);
export const POLL_OPTIONS: readonly string[] = items('Saturday|Sunday|Friday night|Pizza|Sushi|Both');

/** Group names; one contains `": "`, which subject-change lines quote (rule 4 of the formats doc). */
export const GROUP_NAMES: readonly string[] = items(
  'Book club: 2024|Vizinhos da Rua 7 🏡|Família ❤️|Study group - Physics',
);
