import type {ConfigOutput} from '../schemas/config.js';
import {BaseCommand} from './base-command.js';
import {SETTINGS_FLAGS, settingFlags} from './process-flags.js';

export default class Config extends BaseCommand {
  static override summary = 'Show the effective settings of `process` and where each one came from.';
  static override description =
    'Merges the flags given here, the environment, egregora.json (or --config PATH) and the defaults, in that ' +
    'order of precedence, exactly as `process` does, and shows each setting with its source. Secrets are masked. ' +
    'A settings file with an unknown key or a bad value is an error naming the file and the key (exit code 2).';
  static override examples = [
    '<%= config.bin %> config',
    '<%= config.bin %> config --writer llm --llm-model llama3.2',
    '<%= config.bin %> config --config ~/egregora.json --json',
  ];

  static override flags = SETTINGS_FLAGS;

  async run(): Promise<ConfigOutput> {
    const {flags} = await this.parse(Config);
    const {resolveSettings} = await import('../src/config/resolve.js');
    const resolved = await resolveSettings({
      flags: settingFlags(flags),
      configPath: flags.config,
      cwd: process.cwd(),
      env: process.env,
    });
    const output: ConfigOutput = {config_file: resolved.configFile, settings: [...resolved.report]};
    if (!this.jsonEnabled()) {
      const {renderConfigTable} = await import('../src/ui/ConfigTable.js');
      process.stdout.write(`${renderConfigTable(output, this.colorStdout())}\n`);
      if (resolved.configFile === null) {
        this.note(
          'No egregora.json here: create one to keep settings (schemas/egregora.schema.json lists every key).',
        );
      }
    }
    return output;
  }
}
