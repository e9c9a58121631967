import * as Flags from '@oclif/core/flags';
import type {SiteServeOutput} from '../../schemas/site.js';
import {BaseCommand} from '../base-command.js';
import {boundedInteger} from '../flags.js';

export default class SiteServe extends BaseCommand {
  static override summary = 'Preview the built site on http://127.0.0.1 (this machine only).';
  static override description =
    'Serves the site folder on 127.0.0.1 and prints its URL; runs until Ctrl-C, then exits 0. ' +
    'A port already in use is an error (exit 2): pick another with --port, or --port 0 for any free one. ' +
    'Build the site first with `egregora site build`.';

  static override examples = [
    '<%= config.bin %> site serve',
    '<%= config.bin %> site serve --output sample-site --port 8080',
  ];

  static override flags = {
    output: Flags.string({
      char: 'o',
      description: 'Folder holding the built site (index.html)',
      default: 'site',
    }),
    port: boundedInteger('port', {
      description: 'Port on 127.0.0.1; 0 picks a free one',
      min: 0,
      max: 65_535,
      default: 8000,
    }),
  };

  async run(): Promise<SiteServeOutput> {
    const {flags} = await this.parse(SiteServe);
    const {startSiteServer} = await import('../../src/site/serve.js');
    const server = await startSiteServer(flags.output, flags.port);
    const path = await import('node:path');
    const output: SiteServeOutput = {url: server.url, root: path.resolve(flags.output)};
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(output)}\n`);
    else process.stdout.write(`Serving   ${output.root}\nOpen      ${server.url}\nStop      Ctrl-C\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    // With --json the line was printed when the server started; exiting here keeps oclif from
    // printing the result a second time.
    if (this.jsonEnabled()) this.exit(0);
    return output;
  }
}
