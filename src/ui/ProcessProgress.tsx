import {Box, Text} from 'ink';
import type {ProcessProgress as PipelineProgress} from '../pipeline/process.js';
import {formatCount, formatDuration} from '../util/format.js';

export interface ProgressSnapshot extends PipelineProgress {
  /** Seconds since processing windows began (for the rate and ETA). */
  readonly elapsedSeconds: number;
  readonly warnings: readonly string[];
}

/** Width of the progress bar in cells: readable on an 80-column terminal next to the counts. */
const BAR_WIDTH = 30;

export function progressRate(snapshot: ProgressSnapshot): number {
  const processed = snapshot.windowsDone - snapshot.windowsSkipped;
  return snapshot.elapsedSeconds > 0 ? processed / snapshot.elapsedSeconds : 0;
}

export function progressEta(snapshot: ProgressSnapshot): number | null {
  const rate = progressRate(snapshot);
  const remaining = snapshot.windowsTotal - snapshot.windowsDone;
  if (remaining <= 0) return 0;
  return rate > 0 ? remaining / rate : null;
}

function bar(done: number, total: number): string {
  const filled = total > 0 ? Math.round((done / total) * BAR_WIDTH) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

/** The live view of `process` in a terminal. Receives snapshots; knows nothing of the pipeline. */
export function ProcessProgress({snapshot, color}: {snapshot: ProgressSnapshot; color: boolean}) {
  const eta = progressEta(snapshot);
  const rate = progressRate(snapshot);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold={color}>{snapshot.phase}</Text>
        {snapshot.messages > 0 ? ` · ${formatCount(snapshot.messages)} messages` : ''}
      </Text>
      {snapshot.windowsTotal > 0 ? (
        <>
          <Text>
            <Text {...(color ? {color: 'green'} : {})}>
              {bar(snapshot.windowsDone, snapshot.windowsTotal)}
            </Text>
            {` ${formatCount(snapshot.windowsDone)}/${formatCount(snapshot.windowsTotal)} windows`}
          </Text>
          <Text>
            {`skipped ${formatCount(snapshot.windowsSkipped)} · `}
            <Text {...(color && snapshot.windowsFailed > 0 ? {color: 'red'} : {})}>
              {`failed ${formatCount(snapshot.windowsFailed)}`}
            </Text>
            {` · ${rate.toFixed(1)} windows/s · ETA ${eta === null ? '-' : formatDuration(eta)}`}
          </Text>
          <Text
            dimColor={color}
          >{`now: ${snapshot.current.length > 0 ? snapshot.current.join(', ') : '-'}`}</Text>
        </>
      ) : null}
      {snapshot.warnings.map((warning) => (
        <Text key={warning} {...(color ? {color: 'yellow'} : {})}>{`warning: ${warning}`}</Text>
      ))}
    </Box>
  );
}

/** One plain progress line for logs and pipes, printed at a bounded rate. */
export function progressLine(snapshot: ProgressSnapshot): string {
  const eta = progressEta(snapshot);
  if (snapshot.windowsTotal === 0) return `[${snapshot.phase}] ${formatCount(snapshot.messages)} messages`;
  return (
    `[${snapshot.phase}] ${formatCount(snapshot.windowsDone)}/${formatCount(snapshot.windowsTotal)} windows, ` +
    `${formatCount(snapshot.windowsSkipped)} skipped, ${formatCount(snapshot.windowsFailed)} failed, ` +
    `${progressRate(snapshot).toFixed(1)}/s, ETA ${eta === null ? '-' : formatDuration(eta)}`
  );
}
