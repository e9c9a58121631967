import {describe, expect, it} from 'vitest';
import {
  checkReply,
  LlmReplySchema,
  MAX_TAGS,
  RealNameGuard,
  type ReplyCheck,
} from '../../../src/writers/llm/reply.js';

const NO_NAMES = new RealNameGuard([]);

const GOOD = {
  title: 'Plans for the spring fair',
  summary: 'The group agreed on a date and split the jobs.',
  tags: ['fair', 'planning'],
  body: 'The group talked about the fair.\n\nThey picked **May 4**.',
};

function ok(check: ReplyCheck) {
  if (!check.ok) throw new Error(`expected a valid reply, got: ${check.problem}`);
  return check.reply;
}

function problem(check: ReplyCheck): string {
  if (check.ok) throw new Error('expected an invalid reply');
  return check.problem;
}

describe('checkReply: reading the JSON', () => {
  it('takes a plain JSON object', () => {
    expect(ok(checkReply(JSON.stringify(GOOD), NO_NAMES))).toEqual(GOOD);
  });

  it('takes JSON with surrounding whitespace', () => {
    expect(ok(checkReply(`\n\n  ${JSON.stringify(GOOD, null, 2)}  \n`, NO_NAMES))).toEqual(GOOD);
  });

  it('takes JSON in a ```json fence', () => {
    const content = `Here is the post:\n\n\`\`\`json\n${JSON.stringify(GOOD, null, 2)}\n\`\`\`\n`;
    expect(ok(checkReply(content, NO_NAMES))).toEqual(GOOD);
  });

  it('takes JSON in a bare ``` fence', () => {
    expect(ok(checkReply(`\`\`\`\n${JSON.stringify(GOOD)}\n\`\`\``, NO_NAMES))).toEqual(GOOD);
  });

  it('takes JSON inside a sentence', () => {
    const content = `Sure! ${JSON.stringify(GOOD)} I hope this helps.`;
    expect(ok(checkReply(content, NO_NAMES))).toEqual(GOOD);
  });

  it('refuses text that is not JSON', () => {
    expect(problem(checkReply('I am sorry, I cannot write this post.', NO_NAMES))).toBe(
      'it is not a JSON object',
    );
  });

  it('refuses JSON that is not an object', () => {
    expect(problem(checkReply('[1, 2]', NO_NAMES))).toBe('it is not a JSON object');
    expect(problem(checkReply('"a string"', NO_NAMES))).toBe('it is not a JSON object');
    expect(problem(checkReply('null', NO_NAMES))).toBe('it is not a JSON object');
  });

  it('refuses a missing field, naming it', () => {
    const {body: _body, ...rest} = GOOD;
    expect(problem(checkReply(JSON.stringify(rest), NO_NAMES))).toMatch(/^"body" /);
  });

  it('refuses a field of the wrong type, naming it', () => {
    expect(problem(checkReply(JSON.stringify({...GOOD, tags: 'fair'}), NO_NAMES))).toMatch(/^"tags" /);
  });

  it('refuses an extra field (strict)', () => {
    const text = problem(checkReply(JSON.stringify({...GOOD, author: 'amber-heron'}), NO_NAMES));
    expect(text.startsWith('the object ')).toBe(true);
    expect(text).toContain('"author"');
  });

  it('refuses an empty or blank title', () => {
    expect(problem(checkReply(JSON.stringify({...GOOD, title: '   '}), NO_NAMES))).toMatch(/^"title" /);
  });

  it('refuses a title made only of control characters', () => {
    expect(problem(checkReply(JSON.stringify({...GOOD, title: '\u0007\u0001'}), NO_NAMES))).toBe(
      '"title" is empty once control characters are removed',
    );
  });

  it('refuses tags that all tidy away, but accepts no tags at all', () => {
    expect(problem(checkReply(JSON.stringify({...GOOD, tags: ['#', '  ', '##']}), NO_NAMES))).toBe(
      '"tags" holds no usable tag',
    );
    expect(ok(checkReply(JSON.stringify({...GOOD, tags: []}), NO_NAMES)).tags).toEqual([]);
  });

  it('the reply schema is strict and has the four fields', () => {
    expect(Object.keys(LlmReplySchema.shape)).toEqual(['title', 'summary', 'tags', 'body']);
  });
});

describe('checkReply: tidying', () => {
  it('lowercases tags, strips leading #, trims and removes duplicates, keeping the order', () => {
    const reply = ok(
      checkReply(
        JSON.stringify({...GOOD, tags: ['#Garden', 'garden', ' Books ', '## Plants', 'BOOKS']}),
        NO_NAMES,
      ),
    );
    expect(reply.tags).toEqual(['garden', 'books', 'plants']);
  });

  it(`keeps at most MAX_TAGS (${MAX_TAGS}) tags`, () => {
    expect(MAX_TAGS).toBe(6);
    const tags = ['a1', 'a2', 'A1', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8'];
    expect(ok(checkReply(JSON.stringify({...GOOD, tags}), NO_NAMES)).tags).toEqual([
      'a1',
      'a2',
      'a3',
      'a4',
      'a5',
      'a6',
    ]);
  });

  it('makes one line of a tag with line breaks', () => {
    expect(ok(checkReply(JSON.stringify({...GOOD, tags: ['spring\nfair']}), NO_NAMES)).tags).toEqual([
      'spring fair',
    ]);
  });

  it('makes the title and the summary one line', () => {
    const reply = ok(
      checkReply(
        JSON.stringify({...GOOD, title: '  Plans\nfor the\r\n  fair ', summary: 'One.\n\nTwo.\tThree.'}),
        NO_NAMES,
      ),
    );
    expect(reply.title).toBe('Plans for the fair');
    expect(reply.summary).toBe('One. Two. Three.');
  });

  it('removes control characters from title, summary, tags and body, keeping line breaks in the body', () => {
    const reply = ok(
      checkReply(
        JSON.stringify({
          title: 'Fa\u0007ir\u001b[31m',
          summary: 'Sum\u0000mary',
          tags: ['t\u0008ag'],
          body: 'Line\u0001 one\r\nLine two\rLine\tthree\u007f',
        }),
        NO_NAMES,
      ),
    );
    expect(reply).toEqual({
      title: 'Fair[31m',
      summary: 'Summary',
      tags: ['tag'],
      body: 'Line one\nLine two\nLine\tthree',
    });
  });

  it('shortens an overlong title at a word boundary with an ellipsis', () => {
    const title = `${'word '.repeat(40)}end`;
    const reply = ok(checkReply(JSON.stringify({...GOOD, title}), NO_NAMES));
    expect(reply.title.endsWith('word…')).toBe(true);
    expect(reply.title.length).toBeLessThanOrEqual(121);
    expect(reply.title).not.toContain('  ');
  });
});

describe('RealNameGuard', () => {
  const guard = new RealNameGuard(['Maria Silva', 'Jo', 'Ana', 'Dr. Who (Tom)']);

  it('finds a full name as a whole word', () => {
    expect(guard.find('Yesterday Maria Silva said hi.')).toBe('Maria Silva');
    expect(guard.find('(Maria Silva)')).toBe('Maria Silva');
    expect(guard.find('Ana.')).toBe('Ana');
  });

  it('does not match inside a longer word', () => {
    expect(guard.find('Maria Silvana came')).toBeNull();
    expect(guard.find('Banana bread')).toBeNull();
    expect(guard.find('Anabel')).toBeNull();
    expect(guard.find('Ana_b')).toBeNull();
  });

  it('is case-sensitive', () => {
    expect(guard.find('maria silva')).toBeNull();
    expect(guard.find('ANA')).toBeNull();
  });

  it('ignores names shorter than three characters', () => {
    expect(guard.find('Jo went home')).toBeNull();
    expect(new RealNameGuard(['Jo', 'Al', ' X ']).find('Jo Al X')).toBeNull();
  });

  it('treats regular-expression characters in names literally', () => {
    expect(guard.find('Dr. Who (Tom) was there')).toBe('Dr. Who (Tom)');
    expect(guard.find('Drx Who (Tom)')).toBeNull();
  });

  it('finds nothing with no names', () => {
    expect(NO_NAMES.find('Maria Silva')).toBeNull();
  });

  it('makes checkReply refuse a reply naming a real person, without repeating the name', () => {
    for (const field of ['title', 'summary', 'body'] as const) {
      const text = problem(checkReply(JSON.stringify({...GOOD, [field]: `A note by Maria Silva`}), guard));
      expect(text).toBe('it contains a real name of a person in the chat; use the pseudonyms only');
      expect(text).not.toContain('Maria');
      expect(text).not.toContain('Silva');
    }
  });

  it('lets checkReply accept the same reply without the name', () => {
    expect(ok(checkReply(JSON.stringify({...GOOD, body: 'A note by amber-heron.'}), guard)).body).toBe(
      'A note by amber-heron.',
    );
  });

  it('redact replaces every real name, whole words only, with [name]', () => {
    expect(guard.redact('Maria Silva met Ana; Ana and Maria Silvana stayed. Jo too.')).toBe(
      '[name] met [name]; [name] and Maria Silvana stayed. Jo too.',
    );
    expect(guard.redact('maria silva')).toBe('maria silva');
    expect(NO_NAMES.redact('Maria Silva')).toBe('Maria Silva');
  });
});

describe('RealNameGuard on tags', () => {
  it('refuses a reply whose tag is a real name, whatever its case', () => {
    const guard = new RealNameGuard(['Maria Silva']);
    for (const tag of ['Maria Silva', 'maria silva']) {
      const check = checkReply(JSON.stringify({title: 't', summary: 's', tags: [tag], body: 'b'}), guard);
      expect(check.ok).toBe(false);
    }
  });
});
