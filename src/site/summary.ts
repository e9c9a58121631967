import type {SiteBuildResult} from './build.js';
import {plural} from './templates.js';

/** The few lines `site build` prints: what was built, and how to open it. */
export function renderSiteBuildSummary(result: SiteBuildResult, outputFlag: string): string {
  const lines = [
    `Site      ${plural(result.posts, 'post')}, ${plural(result.pages, 'page')} in ${result.indexPath.replace(/index\.html$/, '')}`,
    `Files     ${result.written.toLocaleString('en-US')} written, ${result.unchanged.toLocaleString('en-US')} unchanged, ${result.removed.toLocaleString('en-US')} removed`,
  ];
  if (result.skipped.length > 0)
    lines.push(`Skipped   ${plural(result.skipped.length, 'post')} (see the warnings above)`);
  lines.push(`Open      ${result.indexPath}`);
  lines.push(`   or     egregora site serve --output ${quoteArg(outputFlag)}`);
  return `${lines.join('\n')}\n`;
}

function quoteArg(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
