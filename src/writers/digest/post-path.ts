import type {WindowPart} from '../../../schemas/window.js';

const POSTS_DIRECTORY = 'posts';
/** Four digits keep the files of a chat with up to 10,000 windows in order within a day; more still work. */
const WINDOW_INDEX_DIGITS = 4;

/** `posts/<date>-w<index>[-p<part>]-<slug>.md`: unique per window and part, sorted by date. */
export function postPath(
  date: string,
  windowIndex: number,
  part: WindowPart | undefined,
  slug: string,
): string {
  const partMark = part === undefined ? '' : `-p${part.index + 1}`;
  return `${POSTS_DIRECTORY}/${date}-w${String(windowIndex).padStart(WINDOW_INDEX_DIGITS, '0')}${partMark}-${slug}.md`;
}

/** How a post links to a file under the output folder (posts live one folder down). */
export function linkFromPost(relativePath: string): string {
  return `../${relativePath}`;
}
