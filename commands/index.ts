import Config from './config.js';
import Doctor from './doctor.js';
import Parse from './parse.js';
import Process from './process.js';
import RunsDiff from './runs/diff.js';
import RunsExport from './runs/export.js';
import RunsLineage from './runs/lineage.js';
import RunsList from './runs/list.js';
import RunsRetry from './runs/retry.js';
import RunsShow from './runs/show.js';
import RunsStats from './runs/stats.js';
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
  'runs:diff': RunsDiff,
  'runs:export': RunsExport,
  'runs:lineage': RunsLineage,
  'runs:list': RunsList,
  'runs:retry': RunsRetry,
  'runs:show': RunsShow,
  'runs:stats': RunsStats,
  'runs:tail': RunsTail,
};
