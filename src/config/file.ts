import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type * as z from 'zod';
import {CONFIG_FILE_NAME, type ConfigFile, ConfigFileSchema} from '../../schemas/config.js';
import {describeSystemError, ExitCode, UserError} from '../util/errors.js';

/** A settings file that was found and validated; `path` is absolute. */
export interface LoadedConfigFile {
  readonly path: string;
  readonly data: ConfigFile;
}

/**
 * Reads `--config PATH`, else `egregora.json` in `cwd` when there is one. A file named with
 * `--config` must exist; the default one is optional. Bad JSON, an unknown key or a bad value is a
 * usage error naming the file, the key path and what is expected.
 */
export async function loadConfigFile(
  explicit: string | undefined,
  cwd: string,
): Promise<LoadedConfigFile | null> {
  const filePath = path.resolve(cwd, explicit ?? CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (explicit === undefined && code === 'ENOENT') return null;
    throw new UserError(
      `Cannot read the settings file ${filePath}: ${describeSystemError(error)}.`,
      ExitCode.usage,
      {
        path: filePath,
        hint:
          explicit === undefined ? 'Fix its permissions or remove it.' : 'Check the path given to --config.',
        cause: error,
      },
    );
  }
  return {path: filePath, data: parseConfigText(text, filePath)};
}

/** Parses and validates the text of a settings file; exported for tests and `config`. */
export function parseConfigText(text: string, filePath: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${filePath} is not valid JSON: ${(error as Error).message}${lineHint(text, error)}.`,
      ExitCode.usage,
      {path: filePath, hint: 'Fix the JSON (no comments or trailing commas), or remove the file.'},
    );
  }
  const parsed = ConfigFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  throw new UserError(`${filePath}: ${describeIssue(issue)}.`, ExitCode.usage, {
    path: filePath,
    hint: `See schemas/egregora.schema.json for every key and value, or run \`egregora config\` to check a file.`,
    details: parsed.error.issues.map((each) => ({path: each.path.join('.'), message: each.message})),
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? 'the top level' : issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `'${key}'`).join(', ');
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys} in ${where}`;
  }
  if (issue.code === 'invalid_type' && issue.path.length === 0) return 'the file must hold one JSON object';
  return `${where}: ${issue.message}`;
}

/** JSON.parse on Node 20 names a position, not a line: turn it into one a person can jump to. */
function lineHint(text: string, error: unknown): string {
  const match = /position (\d+)/.exec(String((error as Error).message));
  if (!match) return text.trim() === '' ? ' (the file is empty)' : ' (it ends too early)';
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}
