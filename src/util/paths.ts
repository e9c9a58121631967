import path from 'node:path';

/** The state directory's name inside the directory a command runs in. */
export const STATE_DIR_NAME = '.egregora';
/** The runs store: one row per run, and their lineage. */
export const RUNS_DB_FILE = 'runs.duckdb';
/** The pipeline store: the ingested messages, the posts and media written, each with its run. */
export const PIPELINE_DB_FILE = 'pipeline.duckdb';

export interface StatePaths {
  readonly stateDir: string;
  readonly runsDb: string;
  readonly pipelineDb: string;
}

/**
 * Where this project's state lives: `--dir` wins, then `EGREGORA_DIR`, then `./.egregora`.
 * Every command resolves it here, so the runs commands read the very file `process` wrote.
 */
export function resolveStatePaths(
  dirFlag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): StatePaths {
  const chosen = dirFlag ?? (env.EGREGORA_DIR || undefined) ?? STATE_DIR_NAME;
  const stateDir = path.resolve(chosen);
  return {
    stateDir,
    runsDb: path.join(stateDir, RUNS_DB_FILE),
    pipelineDb: path.join(stateDir, PIPELINE_DB_FILE),
  };
}
