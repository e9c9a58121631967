import type {DoctorOutput} from '../schemas/doctor.js';
import {ExitCode} from '../src/util/exit-codes.js';
import {BaseCommand} from './base-command.js';

export default class Doctor extends BaseCommand {
  static override summary = 'Check the state directory for broken invariants (read-only).';
  static override description =
    'Runs read-only quality gates on .egregora/ (or --dir / EGREGORA_DIR): every pipeline row names a ' +
    'recorded run, no run is left running by a process that is gone, finished runs have consistent ' +
    'times, failed runs say why, lineage has no orphans or cycles, post files and outputs rows agree, ' +
    'and the schema is current. Prints one PASS / FAIL / INFO line per gate and exits non-zero when a ' +
    'required gate fails. Never writes anything.';

  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --dir path/to/.egregora --json',
  ];

  async run(): Promise<DoctorOutput> {
    const {flags} = await this.parse(Doctor);
    const state = this.statePaths(flags.dir);
    const {runDoctor} = await import('../src/doctor/doctor.js');
    const output = await runDoctor({state});
    if (this.jsonEnabled()) {
      // oclif prints the returned value only when run() returns; an exit code needs it printed first.
      if (!output.ok) {
        this.logJson(output);
        this.exit(ExitCode.checksFailed);
      }
      return output;
    }
    const {renderDoctorReport} = await import('../src/ui/DoctorReport.js');
    const text = renderDoctorReport(output.gates, this.colorStdout());
    process.stdout.write(`${text}\n`);
    if (!output.ok) this.exit(ExitCode.checksFailed);
    return output;
  }
}
