import type {Token} from 'markdown-it';
import MarkdownIt from 'markdown-it';

/** What a post page shows of a post's Markdown body, and what the rest of the site needs from it. */
export interface RenderedBody {
  readonly html: string;
  /** The body as plain text, for the search index (bounded by `MAX_SEARCH_TEXT`). */
  readonly text: string;
  /** Files of the output's `media/` folder the body shows or links, in order, each once. */
  readonly media: readonly MediaRef[];
}

export type MediaKind = 'image' | 'audio' | 'video' | 'file';

export interface MediaRef {
  /** `media/<hash>.<ext>`, relative to the output folder. */
  readonly path: string;
  readonly kind: MediaKind;
  /** The label the post gave it (the attachment's name). */
  readonly label: string;
}

/** Search needs the words of a post, not a novel: past this a post's text is cut. */
export const MAX_SEARCH_TEXT = 20_000;

const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set([
  'mp3',
  'm4a',
  'aac',
  'ogg',
  'oga',
  'opus',
  'wav',
  'flac',
]);
const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set(['mp4', 'm4v', 'webm', 'ogv', 'mov', '3gp']);
const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp', 'avif']);

/** How a post (one folder down, in `posts/`) links a media file: what the digest writer writes. */
const MEDIA_LINK = /^\.\.\/media\/([0-9a-f]{16}\.([a-z0-9]{1,10}))$/;
/** Schemes a link may use: anything else (javascript:, data:, vbscript:, file:, …) is refused. */
const ALLOWED_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'mailto']);
const SCHEME = /^([^:/?#]*):/;

/**
 * The link validator of every rendered page. A link is kept when it is an `http`, `https` or
 * `mailto` URL, or a relative reference that stays a relative path (no `//host`, no leading `/` or
 * `\`, which browsers read as another host or the root of the disk). Everything else renders as text.
 */
export function isAllowedLink(url: string): boolean {
  const trimmed = url.trim();
  const scheme = SCHEME.exec(trimmed);
  if (scheme !== null) return ALLOWED_SCHEMES.has((scheme[1] ?? '').toLowerCase());
  return !/^[/\\]/.test(trimmed) && !/\p{Cc}/u.test(trimmed);
}

/** A link that loads nothing from elsewhere: a relative path inside the site (images and players). */
function isLocalResource(url: string): boolean {
  return isAllowedLink(url) && SCHEME.exec(url.trim()) === null;
}

export function mediaKindOf(extension: string): MediaKind {
  if (IMAGE_EXTENSIONS.has(extension)) return 'image';
  if (AUDIO_EXTENSIONS.has(extension)) return 'audio';
  if (VIDEO_EXTENSIONS.has(extension)) return 'video';
  return 'file';
}

export interface BodyRenderer {
  render(markdown: string): RenderedBody;
}

/**
 * markdown-it with raw HTML off (a `<script>` in a post is text), the link validator above, external links marked `rel="noopener noreferrer nofollow"`, remote images
 * shown as links (a page never loads anything from elsewhere), local images lazy, and audio and
 * video attachments given a player beside their link.
 */
export function createBodyRenderer(): BodyRenderer {
  // linkify is off: it was a fifth of the render time of 10,000 posts (docs/BENCHMARKS.md), and the
  // writers already write every link as a CommonMark autolink (`<https://…>`).
  const md = new MarkdownIt({html: false, linkify: false, typographer: false});
  md.validateLink = isAllowedLink;
  const escapeHtml = md.utils.escapeHtml;

  md.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index] as Token;
    const src = attr(token, 'src');
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    if (!isLocalResource(src)) {
      // Shown as a link: the page must not fetch anything from another origin.
      return `<a href="${escapeHtml(src)}" rel="noopener noreferrer nofollow">${escapeHtml(alt === '' ? src : alt)}</a>`;
    }
    return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" loading="lazy" decoding="async">`;
  };
  const defaultLinkOpen =
    md.renderer.rules.link_open ??
    ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  md.renderer.rules.link_open = (tokens, index, options, env, self) => {
    const token = tokens[index] as Token;
    const href = attr(token, 'href');
    if (SCHEME.exec(href) !== null) token.attrSet('rel', 'noopener noreferrer nofollow');
    return defaultLinkOpen(tokens, index, options, env, self);
  };
  md.renderer.rules.media_player = (tokens, index) => {
    const token = tokens[index] as Token;
    const src = escapeHtml(attr(token, 'src'));
    return `<${token.tag} class="player" controls preload="metadata" src="${src}"></${token.tag}>`;
  };

  return {
    render(markdown: string): RenderedBody {
      const env = {};
      const tokens = dropLeadingTitle(md.parse(markdown, env));
      const media = new Map<string, MediaRef>();
      const text: string[] = [];
      let textLength = 0;
      const addText = (piece: string): void => {
        if (textLength >= MAX_SEARCH_TEXT || piece === '') return;
        text.push(piece);
        textLength += piece.length + 1;
      };
      for (const token of tokens) {
        if (token.type === 'code_block' || token.type === 'fence') addText(token.content);
        if (token.type !== 'inline' || token.children === null) continue;
        const children: Token[] = [];
        for (const child of token.children) {
          if (child.type === 'text' || child.type === 'code_inline') addText(child.content);
          const target =
            child.type === 'image'
              ? attr(child, 'src')
              : child.type === 'link_open'
                ? attr(child, 'href')
                : null;
          const match = target === null ? null : MEDIA_LINK.exec(target);
          if (match !== null) {
            const path = `media/${match[1] as string}`;
            const kind = mediaKindOf(match[2] as string);
            const label = child.type === 'image' ? child.content : linkText(token.children, child);
            if (!media.has(path)) media.set(path, {path, kind, label});
            if (child.type === 'link_open' && (kind === 'audio' || kind === 'video')) {
              children.push(playerToken(kind, target as string, child));
            }
          }
          children.push(child);
        }
        token.children = children;
      }
      return {
        html: md.renderer.render(tokens, md.options, env),
        text: text.join(' ').slice(0, MAX_SEARCH_TEXT),
        media: [...media.values()],
      };
    },
  };
}

/** An attribute of a token as a string ('' when absent). */
function attr(token: Token, name: string): string {
  const value = token.attrGet(name);
  return value === null ? '' : String(value);
}

/** markdown-it's Token class, taken from a parsed token (the package exports it as a type only). */
type TokenClass = new (type: string, tag: string, nesting: number) => Token;

/** A token the `media_player` rule renders as `<audio>` or `<video>`. */
function playerToken(kind: 'audio' | 'video', src: string, sibling: Token): Token {
  const token = new (sibling.constructor as TokenClass)('media_player', kind, 0);
  token.attrSet('src', src);
  return token;
}

/** The text between a `link_open` and its `link_close`. */
function linkText(children: readonly Token[], open: Token): string {
  const start = children.indexOf(open);
  let label = '';
  for (let index = start + 1; index < children.length; index += 1) {
    const child = children[index] as Token;
    if (child.type === 'link_close') break;
    if (child.type === 'text' || child.type === 'code_inline') label += child.content;
  }
  return label;
}

/** The page prints the title from the front matter: a body that starts with its own `# title` loses it. */
function dropLeadingTitle(tokens: Token[]): Token[] {
  const first = tokens[0];
  if (first?.type === 'heading_open' && first.tag === 'h1' && tokens[2]?.type === 'heading_close') {
    return tokens.slice(3);
  }
  return tokens;
}
