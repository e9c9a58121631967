import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {emitYaml} from '../../src/writers/digest/yaml.js';
import {REPO_ROOT, runCli} from '../helpers/cli.js';

export const SAMPLE_EXPORT = path.join(REPO_ROOT, 'docs', 'sample', 'export.zip');

export interface PostSpec {
  readonly name: string;
  readonly title?: string;
  readonly date?: string;
  readonly tags?: readonly string[];
  readonly authors?: readonly string[];
  readonly summary?: string;
  readonly window?: number;
  readonly body?: string;
}

/** A post as the writers make them: quoted YAML front matter, then Markdown. */
export function postText(spec: PostSpec): string {
  const yaml = emitYaml({
    title: spec.title ?? `Post ${spec.name}`,
    slug: 'post',
    date: spec.date ?? '2024-03-01',
    tags: [...(spec.tags ?? ['garden'])],
    summary: spec.summary ?? `Summary of ${spec.name}`,
    authors: [...(spec.authors ?? ['amber-heron'])],
    window: spec.window ?? 0,
  });
  return `---\n${yaml}---\n\n# ${spec.title ?? spec.name}\n\n${spec.body ?? `Body of ${spec.name}.`}\n`;
}

export async function writePost(outputDir: string, spec: PostSpec): Promise<string> {
  const file = path.join(outputDir, 'posts', `${spec.name}.md`);
  await mkdir(path.dirname(file), {recursive: true});
  await writeFile(file, postText(spec));
  return file;
}

/** Strings a chat message (or a model, or a hand edit) may hold that must never become markup. */
export const HOSTILE = {
  script: '<script>window.__pwned = "script"; alert("script")</script>',
  onerror: '<img src=x onerror="window.__pwned=\'onerror\'; alert(1)">',
  textarea: '</textarea><script>alert("textarea")</script>',
  title: '</title><script>alert("title")</script>',
  attribute: '" onmouseover="alert(1)" x="',
} as const;

/**
 * A post an LLM writer (or a person editing by hand) could leave: raw HTML, `javascript:` and
 * `data:` links, event-handler attributes, a remote image, hostile title, tags and summary.
 */
export function hostilePost(): PostSpec {
  return {
    name: '2024-04-30-w0099-hostile',
    title: `Hostile ${HOSTILE.title} ${HOSTILE.attribute}`,
    date: '2024-04-30',
    tags: [`tag ${HOSTILE.attribute}`, `<b>bold</b> ${HOSTILE.onerror}`],
    authors: ['amber-heron', `x${HOSTILE.script}`],
    summary: `Summary ${HOSTILE.textarea}`,
    window: 99,
    body: [
      HOSTILE.script,
      '',
      HOSTILE.onerror,
      '',
      HOSTILE.textarea,
      '',
      '[click me](javascript:alert(document.cookie))',
      '',
      '[entity](java&#115;cript:alert(1)) and [spaced]( javascript:alert(1) ) and [upper](JAVASCRIPT:alert(1))',
      '',
      '<javascript:alert(1)> and <a href="javascript:alert(1)">raw</a>',
      '',
      '![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)',
      '',
      '[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '',
      '![remote](https://example.com/tracker.png)',
      '',
      '[vb](vbscript:msgbox(1)) [file](file:///etc/passwd) [root](/etc/passwd) [host](//example.com/x)',
      '',
      '<svg onload=alert(1)><style>body{display:none}</style>',
      '',
      '```html',
      '<script>alert("fenced")</script>',
      '```',
      '',
      'A safe link: <https://example.org/page?a=1&b=2>',
    ].join('\n'),
  };
}

/** A post whose front matter is broken on line 3 (an unquoted colon inside the title). */
export const BROKEN_POST =
  '---\nslug: "broken"\ntitle: Broken: front matter\ndate: "2024-03-02"\n---\n\n# Broken\n';

/** Runs the real `process` on the bundled sample export (posts with photos) into `dir/site`. */
export async function processSample(dir: string): Promise<string> {
  const output = path.join(dir, 'site');
  const result = await runCli(
    ['process', SAMPLE_EXPORT, '--output', output, '--dir', path.join(dir, '.egregora'), '--json'],
    {
      cwd: dir,
      timeoutMs: 120_000,
    },
  );
  if (result.code !== 0) throw new Error(`process exited ${result.code}: ${result.stderr}`);
  return output;
}
