import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../schemas/message.js';
import {stripControls, withoutControls} from '../../src/ingest/control-chars.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** What must never survive: C0 but tab, LF and CR; DEL; C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
const REMOVABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

describe('stripControls: ECMA-48 sequences go whole', () => {
  it('removes the colour codes and the title sequence of the reported message, leaving no parameter', () => {
    expect(stripControls(`hello ${ESC}[31mRED${ESC}[0m and ${ESC}]0;pwned${BEL} title`)).toBe(
      'hello RED and  title',
    );
  });

  it.each([
    ['CSI with parameters', `a${ESC}[1;38;5;196mb`, 'ab'],
    ['CSI private mode', `a${ESC}[?25lb`, 'ab'],
    ['CSI with an intermediate byte', `a${ESC}[1 qb`, 'ab'],
    ['CSI cursor move then clear screen', `${ESC}[2J${ESC}[Hx`, 'x'],
    ['CSI in its C1 form', 'a\u009b31mb', 'ab'],
    ['OSC ended by BEL', `a${ESC}]0;title${BEL}b`, 'ab'],
    ['OSC ended by ST', `a${ESC}]8;;https://example.com${ESC}\\link${ESC}]8;;${ESC}\\b`, 'alinkb'],
    ['OSC in its C1 form, ended by C1 ST', 'a\u009d0;title\u009cb', 'ab'],
    ['DCS', `a${ESC}Pq#0;2;0;0;0${ESC}\\b`, 'ab'],
    ['APC', `a${ESC}_payload${ESC}\\b`, 'ab'],
    ['PM and SOS', `a${ESC}^pm${ESC}\\b${ESC}Xsos${ESC}\\c`, 'abc'],
    ['a string cancelled by CAN', `a${ESC}]0;x\u0018b`, 'ab'],
    ['charset designation (nF)', `a${ESC}(Bb`, 'ab'],
    ['two-byte escapes', `a${ESC}7b${ESC}8c${ESC}cd${ESC}Me`, 'abcde'],
    ['a lone ESC at the end', `a${ESC}`, 'a'],
    ['ESC before a character that starts no sequence', `a${ESC}éb`, 'aéb'],
    ['a CSI cut short by a letter outside its ranges', `a${ESC}[31é`, 'aé'],
    ['a CSI cut short by the end', `a${ESC}[31`, 'a'],
  ])('%s', (_name, input, expected) => {
    expect(stripControls(input)).toBe(expected);
  });

  it('ends an unterminated string at its line, so the next lines survive', () => {
    expect(stripControls(`first ${ESC}]0;no end\nsecond line`)).toBe('first \nsecond line');
  });

  it('removes the other C0 and C1 controls and DEL, keeping tab and line breaks', () => {
    expect(stripControls('a\u0000b\u0008c\u000bd\u000ce\u007ff\u0085g\u0081h')).toBe('abcdefgh');
    expect(stripControls('col1\tcol2\nline 2\r\nline 3')).toBe('col1\tcol2\nline 2\r\nline 3');
  });

  it('returns a clean text itself (the fast path): no copy, whatever the script', () => {
    for (const text of [
      '',
      'plain',
      'ação 日本語 👩‍👩‍👧 مرحبا',
      '\u200e<attached: 00000012-PHOTO.jpg>',
      'tab\there',
    ]) {
      expect(stripControls(text)).toBe(text);
    }
  });

  it('leaves no removable character, keeps every other one in order, and is idempotent', () => {
    const piece = fc.oneof(
      fc.string({unit: 'grapheme', maxLength: 6}),
      fc.constantFrom(
        ESC,
        BEL,
        '[',
        ']',
        '\\',
        ';',
        '0',
        '31',
        'm',
        '\u009b',
        '\u009c',
        '\u009d',
        '\n',
        '\t',
      ),
      fc.integer({min: 0, max: 0x9f}).map((code) => String.fromCharCode(code)),
    );
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 20}), (pieces) => {
        const text = pieces.join('');
        const clean = stripControls(text);
        expect(REMOVABLE.test(clean)).toBe(false);
        expect(stripControls(clean)).toBe(clean);
        // Removal only: what is left is a subsequence of the input.
        let at = 0;
        for (const char of clean) {
          at = text.indexOf(char, at);
          expect(at).toBeGreaterThanOrEqual(0);
          at += char.length;
        }
        if (!REMOVABLE.test(text)) expect(clean).toBe(text);
      }),
      {numRuns: 2000},
    );
  });
});

describe('withoutControls', () => {
  const base: ChatMessage = {
    position: 0,
    date: '2024-01-12T10:00:00',
    instantMs: 0,
    author: 'Alice',
    text: 'hello',
    kind: 'message',
    edited: false,
    attachment: null,
    attachmentPresent: false,
  };

  it('is the same object for a clean message', () => {
    expect(withoutControls(base)).toBe(base);
  });

  it('cleans the text, the author and the attachment name', () => {
    const dirty = {
      ...base,
      author: `${ESC}[1mAlice${ESC}[0m`,
      text: `hi ${ESC}[31mthere`,
      kind: 'media' as const,
      attachment: `IMG${ESC}]0;x${BEL}-1.jpg`,
    };
    expect(withoutControls(dirty)).toEqual({
      ...dirty,
      author: 'Alice',
      text: 'hi there',
      attachment: 'IMG-1.jpg',
    });
  });
});
