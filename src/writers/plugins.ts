import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {ExitCode, UserError} from '../util/errors.js';
import {registerWriter} from './registry.js';

/**
 * Extra writers from local modules, named in `EGREGORA_WRITER_MODULES` (paths separated by the
 * platform's path delimiter). Each module exports `register(registerWriter)`. This is how a user
 * plugs in a writer of their own without forking egregora, and how the end-to-end tests bring in a
 * writer that fails on purpose.
 */
export const WRITER_MODULES_ENV = 'EGREGORA_WRITER_MODULES';

type RegisterFn = (register: typeof registerWriter) => void;

export async function loadWriterModules(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const list = env[WRITER_MODULES_ENV];
  if (!list) return [];
  const loaded: string[] = [];
  for (const modulePath of list.split(path.delimiter).filter(Boolean)) {
    let module: {register?: RegisterFn};
    try {
      module = (await import(pathToFileURL(path.resolve(modulePath)).href)) as {register?: RegisterFn};
    } catch (error) {
      throw new UserError(
        `Cannot load the writer module ${modulePath} named in ${WRITER_MODULES_ENV}.`,
        ExitCode.usage,
        {
          path: modulePath,
          hint: `Fix the module or remove it from ${WRITER_MODULES_ENV}.`,
          cause: error,
        },
      );
    }
    if (typeof module.register !== 'function') {
      throw new UserError(
        `The writer module ${modulePath} does not export a register(registerWriter) function.`,
        ExitCode.usage,
        {
          path: modulePath,
        },
      );
    }
    module.register(registerWriter);
    loaded.push(modulePath);
  }
  return loaded;
}
