import type {RunStatus} from '../../schemas/run.js';

/**
 * Status colours: green for success, red for the two kinds of failure, yellow for work in flight,
 * and distinct hues for the two "finished, but" states so they are never mistaken for success.
 */
export const STATUS_COLOR: Readonly<Record<RunStatus, string>> = {
  completed: 'green',
  failed: 'red',
  crashed: 'red',
  running: 'yellow',
  degraded: 'magenta',
  cancelled: 'cyan',
};
