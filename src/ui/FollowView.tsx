import {Box, render, Text} from 'ink';
import type {RunRecord, RunStatus} from '../../schemas/run.js';
import type {FollowSnapshot} from '../runs/follow.js';
import {formatCount, formatDuration, formatLocalTime, shortId} from '../util/format.js';
import {STATUS_COLOR} from './status-style.js';
import {Table} from './Table.js';

/** Windows in flight listed in the live view; the rest are counted. */
const MAX_IN_FLIGHT_ROWS = 12;
const STATUS_ORDER: readonly RunStatus[] = [
  'running',
  'completed',
  'degraded',
  'failed',
  'cancelled',
  'crashed',
];

function elapsedSince(iso: string, now: number): number {
  return Math.max(0, (now - Date.parse(iso)) / 1000);
}

/** The live view of `runs tail --follow`: the process run, its children by status, the ones in flight. */
export function FollowView({snapshot, color, now}: {snapshot: FollowSnapshot; color: boolean; now: number}) {
  const {process} = snapshot;
  const counts = STATUS_ORDER.filter((status) => (snapshot.counts[status] ?? 0) > 0).map((status) => (
    <Text key={status} {...(color ? {color: STATUS_COLOR[status]} : {})}>
      {`${formatCount(snapshot.counts[status] ?? 0)} ${status}  `}
    </Text>
  ));
  const shown = snapshot.inFlight.slice(0, MAX_IN_FLIGHT_ROWS);
  return (
    <Box flexDirection="column">
      <Text bold={color}>
        {`Process ${shortId(process.run_id)} ${process.status}, started ${formatLocalTime(process.started_at)}, ` +
          `${formatDuration(elapsedSince(process.started_at, now))} so far`}
      </Text>
      <Box>{counts.length > 0 ? counts : <Text>no runs yet</Text>}</Box>
      {shown.length > 0 ? (
        <Table
          columns={[{header: 'In flight'}, {header: 'Run ID'}, {header: 'For', align: 'right'}]}
          rows={shown.map((run) => [
            {text: run.stage},
            {text: shortId(run.run_id)},
            {text: formatDuration(elapsedSince(run.started_at, now))},
          ])}
          color={color}
        />
      ) : null}
      {snapshot.inFlight.length > shown.length ? (
        <Text>{`...and ${formatCount(snapshot.inFlight.length - shown.length)} more in flight`}</Text>
      ) : null}
    </Box>
  );
}

/** One line per run that reached a terminal status, for logs and pipes. */
export function followLine(run: RunRecord): string {
  const error = run.error ? `  ${(run.error.split('\n')[0] ?? '').slice(0, 160)}` : '';
  return `${formatLocalTime(run.finished_at)}  ${run.stage.padEnd(18)} ${run.status.padEnd(9)} ${formatDuration(run.duration_seconds).padStart(7)}  ${shortId(run.run_id)}${error}`;
}

/** The live view on a terminal: redrawn with each snapshot (at most every FOLLOW_POLL_MS), removed at the end. */
export function createFollowLiveView(color: boolean) {
  let instance: ReturnType<typeof render> | null = null;
  return {
    draw(snapshot: FollowSnapshot): void {
      const element = <FollowView snapshot={snapshot} color={color} now={Date.now()} />;
      if (instance) instance.rerender(element);
      else instance = render(element, {patchConsole: false, exitOnCtrlC: false});
    },
    stop(): void {
      instance?.unmount();
      instance = null;
    },
  };
}
