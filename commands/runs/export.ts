import * as Flags from '@oclif/core/flags';
import {EXPORT_FORMATS, type ExportFormat} from '../../schemas/export-formats.js';
import type {RunStatusName} from '../../schemas/run-statuses.js';
import type {RunsExportOutput} from '../../schemas/runs-export.js';
import {MAX_EXPORT_ROWS} from '../../src/runs/export-limits.js';
import {BaseCommand} from '../base-command.js';
import {optionalBoundedInteger} from '../flags.js';
import {STATUS_FLAG, TIME_AND_STAGE_FLAGS} from './filter-flags.js';
import {parseWhen} from './when.js';

export default class RunsExport extends BaseCommand {
  static override summary = 'Write the runs to a Parquet, CSV or JSON file, with DuckDB.';
  static override description =
    'Writes all 16 columns of every run that matches the filters of `runs list` (all runs without a filter), ' +
    'oldest first, with the COPY statement of DuckDB (--limit N keeps the newest N); the store is only read. --lineage also writes the lineage edges ' +
    '(child_run_id, parent_run_id) that touch an exported run into a second file next to it, with `.lineage` ' +
    'before the extension (runs.parquet: runs.lineage.parquet), for every format. JSON is one object per line. ' +
    'An existing file is never replaced without --force (exit 2).';
  static override examples = [
    '<%= config.bin %> runs export --output runs.parquet',
    '<%= config.bin %> runs export --format csv --output failed.csv --status failed --since 7d',
    '<%= config.bin %> runs export --format json --output runs.json --lineage --force',
  ];

  static override flags = {
    format: Flags.string({
      description: 'File format [default: from the --output extension]',
      options: [...EXPORT_FORMATS],
    }),
    output: Flags.string({char: 'o', description: 'The file to write', required: true}),
    lineage: Flags.boolean({
      description: 'Also write the lineage edges, to FILE with `.lineage` before the extension',
    }),
    force: Flags.boolean({description: 'Replace the file(s) if they exist'}),
    ...STATUS_FLAG,
    ...TIME_AND_STAGE_FLAGS,
    limit: optionalBoundedInteger('limit', {
      description: 'Only the newest N matching runs [default: all]',
      min: 1,
      max: MAX_EXPORT_ROWS,
    }),
  };

  async run(): Promise<RunsExportOutput> {
    const {flags} = await this.parse(RunsExport);
    const {runsDb} = this.statePaths(flags.dir);
    const now = new Date();
    const since = flags.since === undefined ? undefined : parseWhen('since', flags.since, now);
    const until = flags.until === undefined ? undefined : parseWhen('until', flags.until, now);
    const [{exportRuns}, {guardSignals}] = await Promise.all([
      import('../../src/runs/export.js'),
      import('../../src/pipeline/signals.js'),
    ]);
    // Ctrl-C interrupts DuckDB's COPY; the service removes its temporary files and reports it (exit 130).
    const guard = guardSignals();
    const output = await exportRuns({
      dbPath: runsDb,
      output: flags.output,
      cwd: process.cwd(),
      format: flags.format as ExportFormat | undefined,
      filters: {statuses: flags.status as RunStatusName[] | undefined, stageGlob: flags.stage, since, until},
      limit: flags.limit,
      lineage: flags.lineage,
      force: flags.force,
      signal: guard.signal,
    }).finally(() => guard.dispose());
    if (this.jsonEnabled()) return output;
    if (output.state === 'missing') {
      this.note(
        `No runs are recorded yet: ${output.db_path} does not exist; nothing was exported.\n` +
          'Run `egregora process <export.zip>` in this directory first (or point --dir / EGREGORA_DIR at an existing state directory).',
      );
      return output;
    }
    const {renderExportReport} = await import('../../src/ui/ExportReport.js');
    process.stdout.write(`${renderExportReport(output, this.colorStdout())}\n`);
    const runsFile = output.files.find((file) => file.kind === 'runs');
    if (runsFile?.rows === 0)
      this.note('No runs match these filters: the file holds the columns and no rows.');
    if (process.stderr.isTTY && runsFile) {
      this.note(`Query it: duckdb -c "SELECT count(*) FROM '${runsFile.path.replaceAll("'", "''")}'"`);
    }
    return output;
  }
}
