import type {PostFrontMatter} from '../../../schemas/post.js';
import {emitYaml} from './yaml.js';

/** The front matter block, fields in the schema's order, closed by `---` on its own line. */
export function renderFrontMatter(frontMatter: PostFrontMatter): string {
  const {title, slug, date, tags, summary, authors, window, part} = frontMatter;
  const yaml = emitYaml({
    title,
    slug,
    date,
    tags,
    summary,
    authors,
    window,
    part: part === undefined ? undefined : {index: part.index, count: part.count},
  });
  return `---\n${yaml}---\n`;
}
