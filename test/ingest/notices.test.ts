import {describe, expect, it} from 'vitest';
import {createAnonymizer} from '../../src/ingest/anonymize.js';
import {namesInEvent} from '../../src/ingest/event-names.js';
import {isNotice} from '../../src/ingest/notices.js';
import {parseChatText} from '../../src/ingest/parser.js';
import {buildChat, type FixtureMessage, LAYOUT_IDS, LAYOUTS} from '../fixtures/index.js';

/** One notice of each kind WhatsApp writes, in each language docs/FORMATS.md lists, as exported. */
const NOTICES: Readonly<Record<string, readonly string[]>> = {
  en: [
    'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
    'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
    'Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them. Learn more',
    'Messages and calls are end-to-end encrypted.',
    'Messages to this group are now secured with end-to-end encryption. Tap for more info.',
    'Messages you send to this chat and calls are now secured with end-to-end encryption. Tap for more info.',
    'Your security code with Bruno Tanaka changed. Tap to learn more.',
    'Your security code with \u202a+44\u00a07700\u00a0900123\u202c changed.',
    "Bruno's security code changed. Tap for more info.",
    'Bruno turned on disappearing messages. New messages will disappear from this chat 7 days after they’re sent, except when kept. Tap to change.',
    'You turned off disappearing messages. Tap to change.',
    'Alice created group "Book Club: 2024"',
    'Alice created group “Book Club”',
    'Alice created this group',
    'You changed the subject from "Book Club" to "Book Club: Summer"',
    'Alice changed the group name to “Garden”',
  ],
  pt: [
    'As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente entre você e os participantes desta conversa. Nem mesmo o WhatsApp pode ler ou ouvi-las. Toque para saber mais.',
    'As mensagens e ligações são protegidas com a criptografia de ponta a ponta. Somente as pessoas que fazem parte da conversa podem ler, ouvir e compartilhar esse conteúdo. Saiba mais',
    'As mensagens e chamadas são encriptadas ponto a ponto. Ninguém fora desta conversa, nem mesmo o WhatsApp, pode ler ou ouvi-las.',
    'Seu código de segurança com Bruno mudou. Toque para saber mais.',
    'Você atualizou a duração das mensagens temporárias. Todas as novas mensagens desaparecerão desta conversa 24 horas após o envio, exceto se salvas na conversa.',
    'Você criou este grupo',
    'Ana criou o grupo "Horta"',
    'Ana mudou o assunto de "Horta" para "Horta 2024"',
  ],
  es: [
    'Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.',
    'Cambió tu código de seguridad con Bruno. Toca para obtener más información.',
    'Ana activó los mensajes temporales.',
    'Ana creó el grupo "Huerto"',
    'Ana cambió el asunto de "Huerto" a "Huerto 2024"',
  ],
  de: [
    'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp. Tippe, um mehr zu erfahren.',
    'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats, nicht einmal WhatsApp, kann sie lesen oder anhören.',
    'Deine Sicherheitsnummer für Bruno hat sich geändert. Tippe, um mehr zu erfahren.',
    'Selbstlöschende Nachrichten wurden deaktiviert. Tippe zum Ändern.',
    'Marlene hat die Gruppe „Garten“ erstellt',
    'Marlene hat den Betreff von „Garten“ zu „Garten 2024“ geändert',
  ],
  fr: [
    'Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même WhatsApp, ne peut les lire ou les écouter. Appuyez pour en savoir plus.',
    'Votre code de sécurité avec Bruno a changé. Appuyez pour en savoir plus.',
    'Ana a activé les messages éphémères.',
    'Ana a créé le groupe « Jardin »',
    'Ana a modifié le sujet de « Jardin » en « Jardin 2024 »',
  ],
  it: [
    'I messaggi e le chiamate sono crittografati end-to-end. Nessuno al di fuori di questa chat, nemmeno WhatsApp, può leggerne o ascoltarne il contenuto. Tocca per saperne di più.',
    'Il tuo codice di sicurezza con Bruno è cambiato. Tocca per saperne di più.',
    'Ana ha disattivato i messaggi effimeri.',
    'Ana ha creato il gruppo "Orto"',
    'Ana ha cambiato l\'oggetto da "Orto" a "Orto 2024"',
  ],
  nl: [
    'Berichten en gesprekken worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet. Tik voor meer informatie.',
    'Je beveiligingscode met Bruno is gewijzigd. Tik voor meer informatie.',
    'Ana heeft verdwijnende berichten ingeschakeld.',
    'Ana heeft groep "Moestuin" aangemaakt',
    'Ana heeft de groepsnaam gewijzigd in "Moestuin 2024"',
  ],
  he: [
    "ההודעות והשיחות מוצפנות מקצה-לקצה. לאף אחד מחוץ לצ'אט זה, גם לא ל-WhatsApp, אין אפשרות לקרוא אותן או להאזין להן.",
    'קוד האבטחה עם שרה כהן שונה. יש להקיש לקבלת פרטים נוספים.',
  ],
  ar: [
    'الرسائل والمكالمات مشفرة تمامًا بين الطرفين، بحيث لا يستطيع أحد خارج هذه الدردشة، ولا حتى شركة واتساب نفسها، قراءتها أو الاستماع إليها.',
    'تغيّر رمز أمانك المُستخدَم مع محمد. انقر هنا لمعرفة المزيد.',
  ],
};

const ENCRYPTED =
  'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.';

describe('isNotice: WhatsApp’s fixed notices, as the whole text', () => {
  for (const [language, notices] of Object.entries(NOTICES)) {
    it(`recognises the ${language} notices`, () => {
      for (const notice of notices) expect(isNotice(notice), notice).toBe(true);
    });
  }

  it('does not take a sentence that quotes a notice, or resembles one, for a notice', () => {
    for (const text of [
      `${ENCRYPTED} lol`,
      `"${ENCRYPTED}"`,
      `${ENCRYPTED}\nis that true?`,
      'So WhatsApp says: Messages and calls are end-to-end encrypted.',
      'Messages and calls are end-to-end encrypted, right?',
      'Your security code with Bruno changed? Why',
      'I think Alice created group chats for everyone',
      'Alice created group "Book Club" yesterday',
      'Alice created group "Book Club"\nand then left',
      'Your security code with\nBruno changed.',
      '',
      '.',
      '"',
      'ok.',
      'Tap to learn more.',
    ]) {
      expect(isNotice(text), text).toBe(false);
    }
  });
});

/** A few ordinary messages around notices credited to `who`, as the header of `layout` prints them. */
function chatWith(layout: (typeof LAYOUT_IDS)[number], notices: readonly FixtureMessage[]): string {
  const ios = LAYOUTS[layout].platform === 'ios';
  const messages: FixtureMessage[] = [
    ...notices.map((notice) => ({...notice, lrm: notice.lrm ?? ios})),
    {date: '2024-03-14T09:05:00', author: 'Ana', text: 'good morning'},
    {date: '2024-03-14T09:06:00', author: 'Bruno', text: 'hi Ana'},
    {date: '2024-03-14T09:07:00', author: 'Ana', text: `quoting it: ${ENCRYPTED}`},
  ];
  return buildChat({layout, messages});
}

describe('the parser: a notice credited to a name is a system event without author', () => {
  it('reads the reported Android export: "Pokemon Chat" is no author', () => {
    const chat = [
      `15.04.2016, 15:04 - Pokemon Chat: ${ENCRYPTED}`,
      '15.04.2016, 15:05 - Ash Ketchum: Hey guys!',
      '15.04.2016, 15:06 - Brock: Hey Ash',
    ].join('\n');
    const {messages, summary} = parseChatText(chat, {timezone: 'UTC'});
    expect(messages[0]).toMatchObject({author: null, kind: 'system', text: ENCRYPTED});
    expect(summary.authors).toEqual(['Ash Ketchum', 'Brock']);
    expect(summary.kinds.system).toBe(1);
  });

  it('reads the iOS notice credited to the group: "Super Group" is no author', () => {
    const chat = [
      '[29/11/2018, 10:50:41] Super Group: \u200eMessages and calls are end-to-end encrypted.',
      '[29/11/2018, 10:50:41] Super Group: \u200eAna created group “Super Group”',
      '[29/11/2018, 10:51:02] Ana: hello',
    ].join('\r\n');
    const {messages, summary} = parseChatText(chat, {timezone: 'UTC'});
    expect(messages.map(({author, kind, text}) => ({author, kind, text}))).toEqual([
      {author: null, kind: 'system', text: 'Messages and calls are end-to-end encrypted.'},
      {author: null, kind: 'system', text: 'Ana created group “Super Group”'},
      {author: 'Ana', kind: 'message', text: 'hello'},
    ]);
    expect(summary.authors).toEqual(['Ana']);
  });

  for (const layout of LAYOUT_IDS) {
    it(`does so in the ${layout} layout, for every kind of notice, and leaves quoting people alone`, () => {
      const notices = NOTICES.en?.slice(0, 8) ?? [];
      const chat = chatWith(
        layout,
        notices.map((text, index) => ({
          date: `2024-03-14T09:0${Math.min(index, 4)}:00`,
          author: 'Book Club',
          text,
        })),
      );
      const {messages, summary} = parseChatText(chat, {timezone: 'UTC'});
      expect(messages.slice(0, notices.length).map(({author, kind}) => ({author, kind}))).toEqual(
        notices.map(() => ({author: null, kind: 'system'})),
      );
      expect(messages.slice(0, notices.length).map((message) => message.text)).toEqual(notices);
      expect(messages.at(-1)).toMatchObject({
        author: 'Ana',
        kind: 'message',
        text: `quoting it: ${ENCRYPTED}`,
      });
      expect(summary.authors).toEqual(['Ana', 'Bruno']);
    });
  }

  it('finds the notices known by their start (a name, then a bare period) in marked iOS bodies', () => {
    const chat = [
      '[14/03/2024, 09:00:00] Bruno: \u200eCambió tu código de seguridad con Bruno.',
      '[14/03/2024, 09:00:01] محمد: \u200eتغيّر رمز أمانك المُستخدَم مع محمد.',
      '[14/03/2024, 09:00:02] Bruno: hola',
    ].join('\r\n');
    const {messages} = parseChatText(chat, {timezone: 'UTC'});
    expect(messages.map(({author, kind}) => ({author, kind}))).toEqual([
      {author: null, kind: 'system'},
      {author: null, kind: 'system'},
      {author: 'Bruno', kind: 'message'},
    ]);
  });

  it('keeps as author someone who quotes a notice with more words or more lines', () => {
    const chat = buildChat({
      layout: 'android-en-gb',
      messages: [
        {date: '2024-03-14T09:00:00', author: 'Ana', text: `${ENCRYPTED} lol`},
        {date: '2024-03-14T09:01:00', author: 'Bruno', text: `${ENCRYPTED}\nreally?`},
      ],
    });
    const {messages, summary} = parseChatText(chat, {timezone: 'UTC'});
    expect(messages.map(({author, kind}) => ({author, kind}))).toEqual([
      {author: 'Ana', kind: 'message'},
      {author: 'Bruno', kind: 'message'},
    ]);
    expect(summary.authors).toEqual(['Ana', 'Bruno']);
  });

  it('keeps a contact who heads the notice of a 1:1 chat and writes as an author, in first-appearance order', () => {
    for (const noticeFirst of [true, false]) {
      const notice: FixtureMessage = {
        date: '2024-03-14T09:00:00',
        author: 'Bruno',
        text: 'Your security code with Bruno changed.',
        lrm: true,
      };
      const written: FixtureMessage = {date: '2024-03-14T09:01:00', author: 'Bruno', text: 'hello there'};
      const chat = buildChat({
        layout: 'ios-en-gb',
        messages: [
          ...(noticeFirst ? [notice, written] : [written, notice]),
          {date: '2024-03-14T09:02:00', author: 'Ana', text: 'hi'},
        ],
      });
      const {messages, summary} = parseChatText(chat, {timezone: 'UTC'});
      expect(messages.find((message) => message.text === notice.text)).toMatchObject({
        author: null,
        kind: 'system',
      });
      expect(summary.authors).toEqual(['Bruno', 'Ana']);
    }
  });
});

describe('the people a notice names are pseudonymized, like those named in other events', () => {
  it.each([
    ["Bruno Tanaka's security code changed. Tap for more info.", ['Bruno Tanaka']],
    ['Deine Sicherheitsnummer für Bruno Tanaka hat sich geändert.', ['Bruno Tanaka']],
    ['Il tuo codice di sicurezza con Bruno Tanaka è cambiato.', ['Bruno Tanaka']],
    ['Marlene hat die Gruppe „Garten“ erstellt', ['Marlene']],
    ['Je beveiligingscode met Bruno Tanaka is gewijzigd. Tik voor meer informatie.', ['Bruno Tanaka']],
    ['You turned off disappearing messages. Tap to change.', []],
    ['Você criou este grupo', []],
  ])('%s', (text, names) => {
    expect(namesInEvent(text)).toEqual(names);
  });

  it('so a name that appears only in a notice is scrubbed from every text', () => {
    const anonymizer = createAnonymizer({secret: new Uint8Array(32).fill(7)});
    const chat = [
      'Book Club: \u200eBruno Tanaka\u2019s security code changed.',
      'Ana: ask Bruno Tanaka about the book',
    ].map((line) => `[14/03/2024, 09:00:00] ${line}`);
    const {messages} = parseChatText(chat.join('\r\n'), {timezone: 'UTC'});
    const [notice, written] = anonymizer.anonymize(messages);
    expect(notice).toMatchObject({author: null, kind: 'system'});
    expect(notice?.text).not.toContain('Bruno');
    expect(written?.text).not.toContain('Bruno');
  });
});
