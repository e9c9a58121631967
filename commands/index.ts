import Config from './config.js';
import Doctor from './doctor.js';
import Parse from './parse.js';
import Process from './process.js';
import RunsList from './runs/list.js';
import RunsRetry from './runs/retry.js';
import RunsShow from './runs/show.js';
import RunsTail from './runs/tail.js';

/**
 * The explicit command map oclif loads (package.json → oclif.commands). Listing commands here
 * instead of letting oclif scan the folder keeps `--help` fast: command modules import their heavy
 * dependencies (DuckDB, Ink) lazily inside `run()`.
 */
export const COMMANDS = {
  config: Config,
  doctor: Doctor,
  parse: Parse,
  process: Process,
  'runs:list': RunsList,
  'runs:retry': RunsRetry,
  'runs:show': RunsShow,
  'runs:tail': RunsTail,
};
