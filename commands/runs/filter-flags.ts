import * as Flags from '@oclif/core/flags';
import {RUN_STATUSES} from '../../schemas/run-statuses.js';

/** The time and stage filters of `runs list`, `runs stats` and `runs export`, worded once. */
export const TIME_AND_STAGE_FLAGS = {
  stage: Flags.string({description: "Only stages matching this glob ('*' any text, '?' one character)"}),
  since: Flags.string({
    description: 'Only runs started at or after: YYYY-MM-DD, an ISO time, or an age like 30m, 12h, 7d',
  }),
  until: Flags.string({
    description: 'Only runs started before: YYYY-MM-DD, an ISO time, or an age like 30m, 12h, 7d',
  }),
};

/** `--status`, repeatable, for the commands that list runs. */
export const STATUS_FLAG = {
  status: Flags.string({
    description: 'Only runs with this status (repeatable)',
    options: [...RUN_STATUSES],
    multiple: true,
  }),
};
