import * as z from 'zod';
import {EXPORT_FORMATS} from './export-formats.js';

export {EXPORT_FORMATS};

export const ExportedFileSchema = z
  .object({
    /** `runs`: the 16 columns of each exported run; `lineage`: the (child_run_id, parent_run_id) edges. */
    kind: z.enum(['runs', 'lineage']),
    /** Absolute path of the file written. */
    path: z.string(),
    rows: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
  })
  .strict();
export type ExportedFile = z.infer<typeof ExportedFileSchema>;

/** `--json` of `runs export`. `state: missing`: no runs are recorded yet, and nothing was written. */
export const RunsExportOutputSchema = z
  .object({
    db_path: z.string(),
    state: z.enum(['missing', 'ok']),
    format: z.enum(EXPORT_FORMATS),
    files: z.array(ExportedFileSchema),
  })
  .strict();
export type RunsExportOutput = z.infer<typeof RunsExportOutputSchema>;
