import {Box, Text} from 'ink';
import type {ConfigOutput, SettingSource} from '../../schemas/config.js';
import {terminalColumns} from '../util/terminal.js';
import {renderStatic} from './render.js';
import {Table} from './Table.js';

const SOURCE_COLOR: Readonly<Record<SettingSource, string>> = {
  flag: 'cyan',
  env: 'magenta',
  file: 'green',
  default: 'gray',
};

/** How a value reads in the table: unset values say so, text is quoted only when empty. */
function shown(value: ConfigOutput['settings'][number]['value']): string {
  if (value === null) return '(not set)';
  if (value === '') return '""';
  return String(value);
}

/** `egregora config`: one row per setting, its value and where it came from. Receives rows; never reads files. */
export function ConfigTable({output, color}: {output: ConfigOutput; color: boolean}) {
  return (
    <Box flexDirection="column">
      <Text>{`Settings file: ${output.config_file ?? 'none (egregora.json not found)'}`}</Text>
      <Table
        columns={[{header: 'Setting'}, {header: 'Value'}, {header: 'Source'}]}
        rows={output.settings.map((setting) => [
          {text: setting.key},
          {text: shown(setting.value)},
          {
            text:
              setting.origin && setting.source !== 'default'
                ? `${setting.source} (${setting.origin})`
                : setting.source,
            color: SOURCE_COLOR[setting.source],
          },
        ])}
        color={color}
      />
    </Box>
  );
}

export function renderConfigTable(output: ConfigOutput, color: boolean): string {
  return renderStatic(
    <ConfigTable output={output} color={color} />,
    Math.max(terminalColumns(process.stdout), 80),
  );
}
