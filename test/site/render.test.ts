import {describe, expect, it} from 'vitest';
import {readFrontMatter} from '../../src/site/front-matter.js';
import {esc} from '../../src/site/html.js';
import {createBodyRenderer, isAllowedLink} from '../../src/site/markdown.js';
import {assignFileNames} from '../../src/site/names.js';
import {hostilePost, postText} from './fixtures.js';

/** No element of `html` carries an event handler, and no link or source uses a script-capable scheme. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<(?:svg|style|iframe|object|embed|textarea|form|base|meta)[\s>]/i);
  expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/(?:href|src)\s*=\s*["']?\s*(?:javascript|data|vbscript|file):/i);
}

describe('esc', () => {
  it('makes text and quoted attributes inert', () => {
    expect(esc(`<script>"x" & 'y'</script>`)).toBe(
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;',
    );
    expect(esc('" onmouseover="alert(1)')).not.toContain('"');
    expect(esc(42)).toBe('42');
  });
});

describe('isAllowedLink', () => {
  it.each([
    'https://example.org/a',
    'http://example.org',
    'mailto:someone@example.org',
    '../media/0123456789abcdef.jpg',
    'page.html#x',
    '#top',
  ])('allows %s', (url) => {
    expect(isAllowedLink(url)).toBe(true);
  });
  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '/etc/passwd',
    '//example.com/x',
    '\\\\host\\share',
    'java%09script:alert(1)',
  ])('refuses %s', (url) => {
    expect(isAllowedLink(url)).toBe(false);
  });
});

describe('createBodyRenderer', () => {
  const renderer = createBodyRenderer();

  it('shows hostile markup as text and keeps nothing that can run', () => {
    const {html} = renderer.render(hostilePost().body ?? '');
    expectInert(html);
    expect(html).toContain('&lt;script&gt;window.__pwned');
    expect(html).toContain('&lt;/textarea&gt;&lt;script&gt;');
    expect(html).toContain('onerror=');
    expect(html).toContain('&lt;img src=x onerror=');
    // Refused links stay as their text; the remote image becomes a link, never an <img>.
    expect(html).toContain('[click me](javascript:alert(document.cookie))');
    expect(html).not.toContain('src="https://example.com/tracker.png"');
    expect(html).toContain(
      '<a href="https://example.com/tracker.png" rel="noopener noreferrer nofollow">remote</a>',
    );
    expect(html).toContain('href="https://example.org/page?a=1&amp;b=2"');
    expect(html).not.toMatch(/href="\/etc|href="\/\/example/);
  });

  it('drops the leading title, collects media and gives audio and video a player', () => {
    const body = [
      '# Title',
      '',
      'Words here.',
      '',
      '![photo.jpg](../media/0123456789abcdef.jpg)',
      '',
      '[voice.opus](../media/1123456789abcdef.opus)',
      '',
      '[clip.mp4](../media/2123456789abcdef.mp4)',
      '',
      '[doc.pdf](../media/3123456789abcdef.pdf)',
    ].join('\n');
    const rendered = renderer.render(body);
    expect(rendered.html).not.toContain('<h1>');
    expect(rendered.html).toContain(
      '<img src="../media/0123456789abcdef.jpg" alt="photo.jpg" loading="lazy"',
    );
    expect(rendered.html).toContain(
      '<audio class="player" controls preload="metadata" src="../media/1123456789abcdef.opus"></audio>',
    );
    expect(rendered.html).toContain(
      '<video class="player" controls preload="metadata" src="../media/2123456789abcdef.mp4"></video>',
    );
    expect(rendered.media.map((media) => [media.path, media.kind, media.label])).toEqual([
      ['media/0123456789abcdef.jpg', 'image', 'photo.jpg'],
      ['media/1123456789abcdef.opus', 'audio', 'voice.opus'],
      ['media/2123456789abcdef.mp4', 'video', 'clip.mp4'],
      ['media/3123456789abcdef.pdf', 'file', 'doc.pdf'],
    ]);
    expect(rendered.text).toContain('Words here.');
  });
});

describe('readFrontMatter', () => {
  it('reads what the writers write', () => {
    const result = readFrontMatter(postText({name: 'a', title: 'Hello: "world"', tags: ['x', 'y']}));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.frontMatter.title).toBe('Hello: "world"');
      expect(result.frontMatter.tags).toEqual(['x', 'y']);
      expect(result.body).toContain('Body of a.');
    }
  });

  it.each([
    ['no front matter', '# Just markdown\n', 1, /does not start with a front matter/],
    ['unclosed', '---\ntitle: "x"\n', 1, /never closed/],
    ['bad YAML', '---\nslug: "s"\ntitle: Broken: here\n---\n', 3, /not valid YAML/],
    [
      'wrong type',
      '---\ntitle: "t"\nslug: "s"\ndate: "2024-01-01"\ntags: "not a list"\nsummary: ""\nauthors: []\nwindow: 0\n---\n',
      5,
      /'tags'/,
    ],
    [
      'bad date',
      '---\ntitle: "t"\nslug: "s"\ndate: "yesterday"\ntags: []\nsummary: ""\nauthors: []\nwindow: 0\n---\n',
      4,
      /'date'/,
    ],
    [
      'bad slug in a list item',
      '---\ntitle: "t"\nslug: "s"\ndate: "2024-01-01"\ntags:\n  - "ok"\n  - ""\nsummary: ""\nauthors: []\nwindow: 0\n---\n',
      7,
      /'tags.1'/,
    ],
    ['missing key', '---\nslug: "s"\n---\n', 2, /'title'/],
    ['alias bomb', '---\na: &a ["x","x"]\nb: &b [*a,*a]\ntitle: *b\n---\n', 2, /cannot be read/],
    ['duplicate key', '---\ntitle: "a"\ntitle: "b"\n---\n', 3, /not valid YAML/],
  ])('reports %s with its line', (_name, text, line, problem) => {
    const result = readFrontMatter(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.line).toBe(line);
      expect(result.problem).toMatch(problem);
    }
  });
});

describe('assignFileNames', () => {
  it('keeps slugs, and hashes names that are not slugs or collide', () => {
    const names = assignFileNames(['amber-heron', 'Garden', 'garden', '<script>', '', 'café']);
    expect(names.get('amber-heron')).toBe('amber-heron');
    expect(names.get('Garden')).toMatch(/^garden-[0-9a-f]{8}$/);
    expect(names.get('garden')).toMatch(/^garden-[0-9a-f]{8}$/);
    expect(names.get('Garden')).not.toBe(names.get('garden'));
    expect(names.get('<script>')).toMatch(/^script-[0-9a-f]{8}$/);
    expect(names.get('')).toMatch(/^x-[0-9a-f]{8}$/);
    expect(names.get('café')).toMatch(/^cafe-[0-9a-f]{8}$/);
  });
});
