import {existsSync} from 'node:fs';
import * as Flags from '@oclif/core/flags';
import type {SiteBuildResultOutput} from '../../schemas/site.js';
import {BaseCommand} from '../base-command.js';

export default class SiteBuild extends BaseCommand {
  static override summary = 'Render the static HTML site (blog) from the posts on disk.';
  static override description =
    'Reads the Markdown posts in <output>/posts/ and writes a static site beside them: a home page, an ' +
    'archive by month, one page per post, tag and pseudonym, a media gallery, client-side search and an ' +
    'Atom feed (feed.xml). It opens from the folder (double-click index.html) and loads nothing from the ' +
    'network. Only files whose inputs changed are rewritten. A post whose front matter does not validate ' +
    'is reported by file and line and left out; the build still exits 0 (see the skipped list in --json).';

  static override examples = [
    '<%= config.bin %> site build',
    '<%= config.bin %> site build --output sample-site --title "Garden club"',
    '<%= config.bin %> site build --json',
  ];

  static override flags = {
    output: Flags.string({
      char: 'o',
      description: 'Folder holding posts/ and media/; the site goes beside them',
      default: 'site',
    }),
    title: Flags.string({description: 'Title of the site [default: Chat archive]'}),
    'base-url': Flags.string({
      description:
        'Address the site will be published at, for the links of feed.xml [default: http://127.0.0.1:8000/]',
    }),
  };

  async run(): Promise<SiteBuildResultOutput> {
    const {flags} = await this.parse(SiteBuild);
    const {validateBaseUrl} = await import('../../src/site/options.js');
    const baseUrl = flags['base-url'] === undefined ? undefined : validateBaseUrl(flags['base-url']);
    const {pipelineDb} = this.statePaths(flags.dir);
    const {buildSite} = await import('../../src/site/build.js');
    const result = await buildSite({
      outputDir: flags.output,
      ...(flags.title === undefined ? {} : {title: flags.title}),
      ...(baseUrl === undefined ? {} : {baseUrl}),
      pipelineDb: existsSync(pipelineDb) ? pipelineDb : null,
    });
    const output: SiteBuildResultOutput = {...result, skipped: [...result.skipped], notes: [...result.notes]};
    for (const skipped of result.skipped) {
      this.note(
        `Warning: skipped ${skipped.file}${skipped.line === null ? '' : `:${skipped.line}`}: ${skipped.problem}`,
      );
    }
    for (const note of result.notes) this.note(`Note: ${note}`);
    if (this.jsonEnabled()) return output;
    const {renderSiteBuildSummary} = await import('../../src/site/summary.js');
    process.stdout.write(renderSiteBuildSummary(result, flags.output));
    return output;
  }
}
