import {createElement} from 'react';
import type {RunRecord} from '../../schemas/run.js';
import {CandidatesTable} from '../../src/ui/RunsTable.js';
import {renderStatic} from '../../src/ui/render.js';

/** Width for the candidates table: a full UUID plus stage, status and time fit in 100 columns. */
const CANDIDATES_COLUMNS = 120;

export function renderCandidates(runs: readonly RunRecord[], color: boolean): string {
  return renderStatic(createElement(CandidatesTable, {runs, color}), CANDIDATES_COLUMNS);
}
