import * as z from 'zod';
import {RunRecordSchema, RunStatusSchema} from './run.js';

const count = z.number().int().nonnegative();

/** What every node of the tree says about its run. */
const nodeFields = {
  run_id: z.string().uuid(),
  stage: z.string().min(1),
  /** The effective status (a `running` run whose process is gone reads as `crashed`). */
  status: RunStatusSchema,
  started_at: z.string().datetime({offset: true}),
  duration_seconds: z.number().nonnegative().nullable(),
  /** The run appears elsewhere in this tree (a run with two parents, or a cycle); its relatives are listed there. */
  repeated: z.boolean(),
};

/** A descendant: `children` are the first ones in start order; `children_total` counts them all. */
export interface LineageDescendant {
  run_id: string;
  stage: string;
  status: z.infer<typeof RunStatusSchema>;
  started_at: string;
  duration_seconds: number | null;
  repeated: boolean;
  children: LineageDescendant[];
  children_total: number;
}

/** An ancestor: `parents` are its own parents; `parents_total` counts them all. */
export interface LineageAncestor {
  run_id: string;
  stage: string;
  status: z.infer<typeof RunStatusSchema>;
  started_at: string;
  duration_seconds: number | null;
  repeated: boolean;
  parents: LineageAncestor[];
  parents_total: number;
}

export const LineageDescendantSchema: z.ZodType<LineageDescendant> = z
  .object({
    ...nodeFields,
    get children() {
      return z.array(LineageDescendantSchema);
    },
    children_total: count,
  })
  .strict()
  .meta({id: 'LineageDescendant'});

export const LineageAncestorSchema: z.ZodType<LineageAncestor> = z
  .object({
    ...nodeFields,
    get parents() {
      return z.array(LineageAncestorSchema);
    },
    parents_total: count,
  })
  .strict()
  .meta({id: 'LineageAncestor'});

/**
 * `--json` of `runs lineage`: the run, its ancestors (`parents`, each with its own) and descendants
 * (`children`, each with its own) as nested nodes. A node lists fewer relatives than its total when
 * a bound cut the tree (`limits`); `truncated` says whether any did.
 */
export const RunsLineageOutputSchema = z
  .object({
    db_path: z.string(),
    run: RunRecordSchema,
    parents: z.array(LineageAncestorSchema),
    parents_total: count,
    children: z.array(LineageDescendantSchema),
    children_total: count,
    limits: z
      .object({
        max_depth: z.number().int().positive(),
        max_width: z.number().int().positive(),
        max_nodes: z.number().int().positive(),
      })
      .strict(),
    truncated: z.boolean(),
  })
  .strict();
export type RunsLineageOutput = z.infer<typeof RunsLineageOutputSchema>;
