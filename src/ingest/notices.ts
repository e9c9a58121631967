/**
 * WhatsApp's fixed notices: the end-to-end encryption notice, "security code changed", disappearing
 * messages turned on or off, a group created or renamed. Android writes them without an author, but
 * older Android exports and iOS put a name before them (the group's, the actor's or the contact's):
 * `15.04.2016, 15:04 - Pokemon Chat: Messages and calls are end-to-end encrypted. …`. Read by the
 * header alone, that name would become an author who wrote one message. A record whose whole text is
 * one of these notices is therefore a system event without author, whatever name stands before it.
 *
 * Only the exact notice, as the whole message, counts: someone who quotes the sentence and adds a
 * word, or a line, is still the author of what they wrote. The languages are those whose chat file
 * names docs/FORMATS.md lists: English, Portuguese, Spanish, German, French, Italian, Dutch, Hebrew,
 * Arabic. A notice missing here stays an ordinary message credited to that name, never an error.
 */

interface NoticeLanguage {
  /** Whole notices with nothing variable in them (the encryption notices). */
  readonly fixed: readonly string[];
  /**
   * Notices with variable parts: `{name}` (a person, "You", or a phone number), `{quoted}` (a group
   * name in the quotes WhatsApp puts around it), `{duration}` (a number and a unit of this language).
   */
  readonly templates: readonly string[];
  /** Sentences WhatsApp appends to a notice ("Tap to learn more."), after one space. */
  readonly tails: readonly string[];
  /** A duration in this language's words, as a regular expression source. */
  readonly duration: string;
}

const ENGLISH: NoticeLanguage = {
  fixed: [
    'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
    'Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them.',
    'Messages and calls are end-to-end encrypted.',
    'Messages to this group are now secured with end-to-end encryption.',
    'Messages you send to this group are now secured with end-to-end encryption.',
    'Messages to this chat and calls are now secured with end-to-end encryption.',
    'Messages you send to this chat and calls are now secured with end-to-end encryption.',
    'Disappearing messages were turned off.',
  ],
  templates: [
    'Your security code with {name} changed.',
    '{name}’s security code changed.',
    '{name} turned on disappearing messages.',
    '{name} turned off disappearing messages.',
    '{name} turned on disappearing messages. All new messages will disappear from this chat {duration} after they’re sent.',
    '{name} turned on disappearing messages. New messages will disappear from this chat {duration} after they’re sent, except when kept.',
    '{name} created group {quoted}',
    '{name} created this group',
    '{name} changed the subject from {quoted} to {quoted}',
    '{name} changed the subject to {quoted}',
    '{name} changed the group name from {quoted} to {quoted}',
    '{name} changed the group name to {quoted}',
    '{name} changed this group’s name to {quoted}',
  ],
  tails: [
    'Tap to learn more.',
    'Tap for more info.',
    'Click to learn more.',
    'Learn more.',
    'Learn more',
    'Tap to change.',
    'Click to change',
  ],
  duration: String.raw`\d+ (?:seconds?|minutes?|hours?|days?)`,
};

const PORTUGUESE: NoticeLanguage = {
  fixed: [
    'As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las.',
    'As mensagens e ligações são protegidas com a criptografia de ponta a ponta. Somente as pessoas que fazem parte da conversa podem ler, ouvir e compartilhar esse conteúdo.',
    'As mensagens e chamadas são encriptadas ponto a ponto. Ninguém fora desta conversa, nem mesmo o WhatsApp, pode ler ou ouvi-las.',
    'As mensagens e chamadas desta conversa estão protegidas com a criptografia de ponta a ponta.',
    'As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta.',
  ],
  templates: [
    'Seu código de segurança com {name} mudou.',
    'O seu código de segurança partilhado com {name} mudou.',
    '{name} ativou as mensagens temporárias.',
    '{name} desativou as mensagens temporárias.',
    '{name} ativou as mensagens temporárias. Todas as novas mensagens desaparecerão desta conversa {duration} após o envio, exceto se salvas na conversa.',
    '{name} atualizou a duração das mensagens temporárias. Todas as novas mensagens desaparecerão desta conversa {duration} após o envio, exceto se salvas na conversa.',
    '{name} criou o grupo {quoted}',
    '{name} criou este grupo',
    '{name} mudou o assunto de {quoted} para {quoted}',
    '{name} mudou o assunto para {quoted}',
    '{name} mudou o nome do grupo de {quoted} para {quoted}',
    '{name} mudou o nome do grupo para {quoted}',
    '{name} alterou o assunto de {quoted} para {quoted}',
    '{name} alterou o assunto para {quoted}',
    '{name} alterou o nome do grupo de {quoted} para {quoted}',
    '{name} alterou o nome do grupo para {quoted}',
  ],
  tails: [
    'Toque para saber mais.',
    'Toque para mais informações.',
    'Saiba mais.',
    'Saiba mais',
    'Toque para alterar.',
  ],
  duration: String.raw`\d+ (?:segundos?|minutos?|horas?|dias?)`,
};

const SPANISH: NoticeLanguage = {
  fixed: [
    'Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos.',
    'Los mensajes y las llamadas están cifrados de extremo a extremo.',
    'Creaste este grupo',
    'Activaste los mensajes temporales.',
    'Desactivaste los mensajes temporales.',
  ],
  templates: [
    'Cambió tu código de seguridad con {name}.',
    'Tu código de seguridad con {name} cambió.',
    '{name} activó los mensajes temporales.',
    '{name} desactivó los mensajes temporales.',
    '{name} creó el grupo {quoted}',
    '{name} creó este grupo',
    'Creaste el grupo {quoted}',
    '{name} cambió el asunto de {quoted} a {quoted}',
    '{name} cambió el asunto a {quoted}',
    '{name} cambió el nombre del grupo de {quoted} a {quoted}',
    '{name} cambió el nombre del grupo a {quoted}',
    'Cambiaste el asunto a {quoted}',
    'Cambiaste el nombre del grupo a {quoted}',
  ],
  tails: [
    'Toca para obtener más información.',
    'Pulsa para obtener más información.',
    'Más información',
    'Toca para cambiar.',
  ],
  duration: String.raw`\d+ (?:segundos?|minutos?|horas?|días?)`,
};

const GERMAN: NoticeLanguage = {
  fixed: [
    'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp.',
    'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats, nicht einmal WhatsApp, kann sie lesen oder anhören.',
    'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.',
    'Selbstlöschende Nachrichten wurden deaktiviert.',
    'Du hast diese Gruppe erstellt',
    'Du hast selbstlöschende Nachrichten aktiviert.',
    'Du hast selbstlöschende Nachrichten deaktiviert.',
  ],
  templates: [
    'Deine Sicherheitsnummer für {name} hat sich geändert.',
    '{name} hat selbstlöschende Nachrichten aktiviert.',
    '{name} hat selbstlöschende Nachrichten deaktiviert.',
    '{name} hat die Gruppe {quoted} erstellt',
    '{name} hat die Gruppe {quoted} erstellt.',
    '{name} hat diese Gruppe erstellt',
    'Du hast die Gruppe {quoted} erstellt',
    '{name} hat den Betreff von {quoted} zu {quoted} geändert',
    '{name} hat den Betreff von {quoted} in {quoted} geändert',
    '{name} hat den Betreff zu {quoted} geändert',
    '{name} hat den Betreff in {quoted} geändert',
    '{name} hat den Gruppennamen von {quoted} zu {quoted} geändert',
    '{name} hat den Gruppennamen zu {quoted} geändert',
    'Du hast den Betreff zu {quoted} geändert',
    'Du hast den Gruppennamen zu {quoted} geändert',
  ],
  tails: ['Tippe, um mehr zu erfahren.', 'Tippe für mehr Infos.', 'Mehr erfahren', 'Tippe zum Ändern.'],
  duration: String.raw`\d+ (?:Sekunden?|Minuten?|Stunden?|Tagen?)`,
};

const FRENCH: NoticeLanguage = {
  fixed: [
    'Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même WhatsApp, ne peut les lire ou les écouter.',
    'Les messages et les appels sont chiffrés de bout en bout.',
    'Vous avez créé ce groupe',
    'Vous avez activé les messages éphémères.',
    'Vous avez désactivé les messages éphémères.',
  ],
  templates: [
    'Votre code de sécurité avec {name} a changé.',
    '{name} a activé les messages éphémères.',
    '{name} a désactivé les messages éphémères.',
    '{name} a créé le groupe {quoted}',
    '{name} a créé ce groupe',
    'Vous avez créé le groupe {quoted}',
    '{name} a modifié le sujet de {quoted} en {quoted}',
    '{name} a modifié le sujet en {quoted}',
    '{name} a changé le sujet de {quoted} en {quoted}',
    '{name} a changé le sujet en {quoted}',
    '{name} a modifié le nom du groupe de {quoted} en {quoted}',
    '{name} a modifié le nom du groupe en {quoted}',
    'Vous avez modifié le sujet en {quoted}',
    'Vous avez modifié le nom du groupe en {quoted}',
  ],
  tails: ['Appuyez pour en savoir plus.', 'En savoir plus', 'Appuyez pour modifier.'],
  duration: String.raw`\d+ (?:secondes?|minutes?|heures?|jours?)`,
};

const ITALIAN: NoticeLanguage = {
  fixed: [
    'I messaggi e le chiamate sono crittografati end-to-end. Nessuno al di fuori di questa chat, nemmeno WhatsApp, può leggerne o ascoltarne il contenuto.',
    'I messaggi e le chiamate sono crittografati end-to-end.',
    'Hai creato questo gruppo',
    'Hai attivato i messaggi effimeri.',
    'Hai disattivato i messaggi effimeri.',
  ],
  templates: [
    'Il tuo codice di sicurezza con {name} è cambiato.',
    '{name} ha attivato i messaggi effimeri.',
    '{name} ha disattivato i messaggi effimeri.',
    '{name} ha creato il gruppo {quoted}',
    '{name} ha creato questo gruppo',
    'Hai creato il gruppo {quoted}',
    '{name} ha cambiato l’oggetto da {quoted} a {quoted}',
    '{name} ha cambiato l’oggetto in {quoted}',
    '{name} ha modificato l’oggetto da {quoted} a {quoted}',
    '{name} ha modificato l’oggetto in {quoted}',
    '{name} ha cambiato il nome del gruppo da {quoted} a {quoted}',
    '{name} ha cambiato il nome del gruppo in {quoted}',
    'Hai cambiato l’oggetto in {quoted}',
    'Hai cambiato il nome del gruppo in {quoted}',
  ],
  tails: ['Tocca per saperne di più.', 'Scopri di più', 'Tocca per modificare.'],
  duration: String.raw`\d+ (?:secondi|secondo|minuti|minuto|ore|ora|giorni|giorno)`,
};

const DUTCH: NoticeLanguage = {
  fixed: [
    'Berichten en gesprekken worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet.',
    'Berichten en gesprekken worden end-to-end versleuteld.',
    'Je hebt deze groep aangemaakt',
    'Je hebt verdwijnende berichten ingeschakeld.',
    'Je hebt verdwijnende berichten uitgeschakeld.',
  ],
  templates: [
    'Uw beveiligingscode voor {name} is gewijzigd.',
    'Je beveiligingscode voor {name} is gewijzigd.',
    'Je beveiligingscode met {name} is gewijzigd.',
    '{name} heeft verdwijnende berichten ingeschakeld.',
    '{name} heeft verdwijnende berichten uitgeschakeld.',
    '{name} heeft groep {quoted} aangemaakt',
    '{name} heeft deze groep aangemaakt',
    'Je hebt groep {quoted} aangemaakt',
    '{name} heeft het onderwerp gewijzigd van {quoted} naar {quoted}',
    '{name} heeft het onderwerp gewijzigd naar {quoted}',
    '{name} heeft de groepsnaam gewijzigd van {quoted} naar {quoted}',
    '{name} heeft de groepsnaam gewijzigd naar {quoted}',
    '{name} heeft de groepsnaam gewijzigd in {quoted}',
    'Je hebt het onderwerp gewijzigd naar {quoted}',
    'Je hebt de groepsnaam gewijzigd naar {quoted}',
  ],
  tails: ['Tik voor meer informatie.', 'Meer informatie', 'Tik om te wijzigen.'],
  duration: String.raw`\d+ (?:seconden?|minuten?|uur|dagen?)`,
};

const HEBREW: NoticeLanguage = {
  fixed: [
    "ההודעות והשיחות מוצפנות מקצה-לקצה. לאף אחד מחוץ לצ'אט זה, גם לא ל-WhatsApp, אין אפשרות לקרוא אותן או להאזין להן.",
  ],
  templates: ['קוד האבטחה עם {name} שונה.'],
  tails: ['יש להקיש לקבלת פרטים נוספים.'],
  duration: String.raw`\d+`,
};

const ARABIC: NoticeLanguage = {
  fixed: [
    'الرسائل والمكالمات مشفرة تمامًا بين الطرفين، بحيث لا يستطيع أحد خارج هذه الدردشة، ولا حتى شركة واتساب نفسها، قراءتها أو الاستماع إليها.',
  ],
  templates: ['تغيّر رمز أمانك المُستخدَم مع {name}.'],
  tails: ['انقر هنا لمعرفة المزيد.'],
  duration: String.raw`\d+`,
};

const LANGUAGES: readonly NoticeLanguage[] = [
  ENGLISH,
  PORTUGUESE,
  SPANISH,
  GERMAN,
  FRENCH,
  ITALIAN,
  DUTCH,
  HEBREW,
  ARABIC,
];

/**
 * The longest name a notice may hold: contact names as saved on a phone run longer than WhatsApp's
 * 25-character profile names, and a wrapped phone number with its marks is about 20; 100 leaves room
 * and keeps a long sentence that merely ends like a notice from being read as one with a huge "name".
 */
const MAX_NAME_CHARS = 100;
/** A group name between quotes: WhatsApp caps subjects at 100 characters; emoji take two units each. */
const MAX_QUOTED_CHARS = 200;
/** The closing quote of each opening one WhatsApp uses around group names: `"`, `“”`, `„“`, `«»`. */
const QUOTE_PAIRS: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ['\u201c', '\u201d'],
  ['\u201e', '\u201c'],
  ['\u00ab', '\u00bb'],
];

const NAME_SOURCE = `[^\\n]{1,${MAX_NAME_CHARS}}?`;
const QUOTED_SOURCE = `(?:${QUOTE_PAIRS.map(([open, close]) => `${open}[^\\n]{0,${MAX_QUOTED_CHARS}}?${close}`).join('|')})`;

function escapeLiteral(text: string): string {
  // Both apostrophes occur in exports of the same language (’ on iOS, ' in older Android exports).
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/['’]/g, "['’]");
}

const SLOT_SOURCE = String.raw`\{name\}|\{quoted\}|\{duration\}`;
/** Splits a template into literals (even indexes) and slots (odd ones). */
const SLOT = new RegExp(`(${SLOT_SOURCE})`);

/** A template as a regular expression source: literals escaped, slots replaced (names captured on demand). */
function templateSource(template: string, duration: string, captureNames = false): string {
  return template
    .split(SLOT)
    .map((part) => {
      if (part === '{name}') return captureNames ? `(${NAME_SOURCE})` : NAME_SOURCE;
      if (part === '{quoted}') return QUOTED_SOURCE;
      if (part === '{duration}') return `(?:${duration})`;
      return escapeLiteral(part);
    })
    .join('');
}

/** Every fixed notice, alone and with each tail of its language. */
const FIXED_NOTICES: readonly string[] = LANGUAGES.flatMap((language) =>
  language.fixed.flatMap((notice) => [notice, ...language.tails.map((tail) => `${notice} ${tail}`)]),
);

/**
 * A lookup table filled up front, null where empty. Filled by assigning sparse indexes instead, V8
 * keeps such an array as a dictionary: a read was measured at ~100 ns instead of a few.
 */
function denseTable<T>(size: number, entry: (index: number) => T | null): (T | null)[] {
  return Array.from({length: size}, (_, index) => entry(index));
}

/** The fixed notices by length: one array read rejects nearly every text. */
const FIXED_BY_LENGTH = denseTable(
  Math.max(...FIXED_NOTICES.map((notice) => notice.length)) + 1,
  (length) => {
    const sameLength = FIXED_NOTICES.filter((notice) => notice.length === length);
    return sameLength.length > 0 ? sameLength : null;
  },
);

/** A notice with variable parts, compiled alone: only the few whose fixed ends a text has are tried. */
interface Template {
  readonly pattern: RegExp;
  /** Its longest fixed part: a text without it is not this notice, whatever the pattern would say. */
  readonly key: string;
}

function compileTemplate(language: NoticeLanguage, template: string, captureNames: boolean): Template {
  const tails = language.tails.map(escapeLiteral).join('|');
  // Split at apostrophes too: a text may have either kind where the template has one.
  const literals = template.split(new RegExp(`${SLOT_SOURCE}|['’]`));
  return {
    pattern: new RegExp(
      `^${templateSource(template, language.duration, captureNames)}(?: (?:${tails}))?$`,
      'u',
    ),
    key: literals.reduce((longest, part) => (part.length > longest.length ? part : longest), ''),
  };
}

/**
 * One pattern per notice that names someone, capturing the names: the people a notice names
 * ("Your security code with Bob changed.") are pseudonymized like those named in other events.
 */
export const NOTICE_NAME_PATTERNS: readonly RegExp[] = LANGUAGES.flatMap((language) =>
  language.templates
    .filter((template) => template.includes('{name}'))
    .map((template) => compileTemplate(language, template, true).pattern),
);

/**
 * Where the templates are looked up. A text that is a notice ends with a tail of the notice's
 * language, or with the template's last fixed part (`changed.`, `aangemaakt`), or with the closing
 * quote of a group name. Templates whose last fixed part is a lone `.` after a name (`Cambió tu
 * código de seguridad con {name}.`) say too little at the end and are found by their start instead.
 * Endings and starts are bucketed by their two code units, hashed; closing quotes by their one unit.
 */
const PAIR_BITS = 16;
const PAIR_BUCKETS = 1 << PAIR_BITS;
/** Knuth's multiplicative hash: the two units' 32 bits mixed, the top PAIR_BITS kept. */
const GOLDEN_RATIO_32 = 0x9e3779b1;
/** The shortest last fixed part that identifies a template by the end. */
const MIN_ENDING_UNITS = 2;

function pairKey(first: number, second: number): number {
  // Outside the text charCodeAt gives NaN, which the bit operations read as 0: a key like any other.
  return Math.imul((first << 16) | second, GOLDEN_RATIO_32) >>> (32 - PAIR_BITS);
}

interface Anchor {
  readonly text: string;
  readonly templates: Template[];
}

const BY_ENDING = denseTable<Anchor[]>(PAIR_BUCKETS, () => null);
const BY_START = denseTable<Anchor[]>(PAIR_BUCKETS, () => null);
const QUOTED_TEMPLATES: Template[] = [];
const CLOSING_QUOTE = new Uint8Array(0x10000);
for (const [, close] of QUOTE_PAIRS) CLOSING_QUOTE[close.charCodeAt(0)] = 1;
/**
 * The shortest text that can end with each two-unit ending (0: none does), and with a closing
 * quote: a message that ends the same way but is shorter ("sure" after the tail "Learn more") is
 * no notice, and need not be looked at further.
 */
const MIN_LENGTH_BY_ENDING = new Uint16Array(PAIR_BUCKETS);
let quotedMinLength = Number.POSITIVE_INFINITY;
/** The last unit of each template found by its start (see mayBeFoundByStart). */
const STARTS_ANCHORED_END = new Uint8Array(0x10000);

/** The fewest code units a text of the template can have: every slot at its shortest. */
function templateMinLength(source: string): number {
  const slots = source.match(new RegExp(SLOT_SOURCE, 'g')) ?? [];
  const quotes = slots.filter((slot) => slot === '{quoted}').length;
  // A name and a duration take at least one unit, a group name its two quotes.
  return (
    source
      .split(SLOT)
      .filter((_, index) => index % 2 === 0)
      .join('').length +
    slots.length +
    quotes
  );
}

function noteEnding(ending: string, minLength: number): number {
  const key = pairKey(ending.charCodeAt(ending.length - 2), ending.charCodeAt(ending.length - 1));
  const known = MIN_LENGTH_BY_ENDING[key] ?? 0;
  MIN_LENGTH_BY_ENDING[key] = known === 0 ? minLength : Math.min(known, minLength);
  return key;
}

function addAnchor(table: (Anchor[] | null)[], key: number, text: string, template: Template): void {
  const bucket = table[key] ?? [];
  table[key] = bucket;
  const anchor = bucket.find((existing) => existing.text === text);
  if (anchor) anchor.templates.push(template);
  else bucket.push({text, templates: [template]});
}

for (const notice of FIXED_NOTICES) noteEnding(notice, notice.length);
for (const language of LANGUAGES) {
  for (const source of language.templates) {
    const template = compileTemplate(language, source, false);
    const minLength = templateMinLength(source);
    for (const tail of language.tails)
      addAnchor(BY_ENDING, noteEnding(tail, minLength + 1 + tail.length), tail, template);
    const parts = source.split(SLOT);
    const last = parts.at(-1) ?? '';
    if (last === '' && source.endsWith('{quoted}')) {
      QUOTED_TEMPLATES.push(template);
      quotedMinLength = Math.min(quotedMinLength, minLength);
    } else if (last.length >= MIN_ENDING_UNITS) {
      for (const ending of new Set([last, last.replace(/’/g, "'")]))
        addAnchor(BY_ENDING, noteEnding(ending, minLength), ending, template);
    } else {
      const first = parts[0] ?? '';
      if (first.length < MIN_ENDING_UNITS)
        throw new Error(`notice template "${source}" needs fixed text at its start or its end`);
      for (const start of new Set([first, first.replace(/’/g, "'")]))
        addAnchor(BY_START, pairKey(start.charCodeAt(0), start.charCodeAt(1)), start, template);
      // The unit these end with (the `.` after the name), for the parser's cheap test.
      if (last !== '') STARTS_ANCHORED_END[last.charCodeAt(last.length - 1)] = 1;
    }
  }
}
const QUOTED_MIN_LENGTH = quotedMinLength;

/**
 * The parser's question for every record, from what it has at hand (the last two code units of the
 * first line, the text's length): could the record be a notice? The answer is no for nearly every
 * message, and only a yes pays for `isNotice`. A record of several lines is never a notice, so any
 * answer for it is harmless.
 */
export function mayEndLikeNotice(last: number, beforeLast: number, length: number): boolean {
  if (CLOSING_QUOTE[last] === 1) return length >= QUOTED_MIN_LENGTH;
  const minLength = MIN_LENGTH_BY_ENDING[pairKey(beforeLast, last)] ?? 0;
  return minLength !== 0 && length >= minLength;
}

/**
 * The same question for the notices found by their start (`Cambió tu código de seguridad con
 * {name}.`), from the last unit alone: they end with a bare `.`, which too many messages do, so the
 * parser asks only of bodies WhatsApp marks with U+200E, as iOS marks every notice it credits to a
 * name (Android writes these without one).
 */
export function mayBeFoundByStart(marked: boolean, last: number): boolean {
  return marked && STARTS_ANCHORED_END[last] === 1;
}

function matchesAny(text: string, templates: readonly Template[]): boolean {
  for (const template of templates)
    if (text.includes(template.key) && template.pattern.test(text)) return true;
  return false;
}

function matchesAnchored(
  text: string,
  bucket: readonly Anchor[] | null | undefined,
  atEnd: boolean,
): boolean {
  if (bucket === null || bucket === undefined) return false;
  for (const anchor of bucket) {
    const anchored = atEnd ? text.endsWith(anchor.text) : text.startsWith(anchor.text);
    if (anchored && matchesAny(text, anchor.templates)) return true;
  }
  return false;
}

/** Whether a record's whole text (after `Name: ` and its mark) is one of WhatsApp's fixed notices. */
export function isNotice(text: string): boolean {
  const length = text.length;
  if (length === 0) return false;
  const fixed = length < FIXED_BY_LENGTH.length ? FIXED_BY_LENGTH[length] : null;
  if (fixed?.includes(text)) return true;
  const last = text.charCodeAt(length - 1);
  if (CLOSING_QUOTE[last] === 1 && matchesAny(text, QUOTED_TEMPLATES)) return true;
  return (
    matchesAnchored(text, BY_ENDING[pairKey(text.charCodeAt(length - 2), last)], true) ||
    matchesAnchored(text, BY_START[pairKey(text.charCodeAt(0), text.charCodeAt(1))], false)
  );
}

/**
 * The names that have so far headed only notices: a group's name is no one's author, but a contact
 * who heads the notice of a 1:1 chat and then writes is a person. The parser reports every record's
 * name; until a notice is credited to someone, that costs one length check per message.
 */
export class NoticeOnlyNames {
  private readonly names: string[] = [];

  /** Whether any name is listed: until one is, `wrote` has nothing to do and need not be called. */
  get listed(): boolean {
    return this.names.length !== 0;
  }

  /** A notice was credited to `name`; `firstSeen` when this record was the name's first appearance. */
  credited(name: string, firstSeen: boolean): void {
    // A name seen before, and not listed, headed a real message earlier: it stays a person.
    if (firstSeen && !this.names.includes(name)) this.names.push(name);
  }

  /** `name` wrote a message: a person after all. */
  wrote(name: string): void {
    if (this.names.length === 0) return;
    const index = this.names.indexOf(name);
    if (index !== -1) this.names.splice(index, 1);
  }

  /** The authors, in their order, without the names that only ever headed notices. */
  people(authors: readonly string[]): string[] {
    return this.names.length === 0 ? [...authors] : authors.filter((author) => !this.names.includes(author));
  }
}
