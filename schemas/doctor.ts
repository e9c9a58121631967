import * as z from 'zod';

/**
 * `pass` and `fail` are verdicts; `info` is a line that states a fact without judging it (counts, the
 * last run) or says that a gate had nothing to check yet (no state directory, no database).
 */
export const GATE_STATUSES = ['pass', 'fail', 'info'] as const;
export const GateStatusSchema = z.enum(GATE_STATUSES);
export type GateStatus = z.infer<typeof GateStatusSchema>;

/** One quality gate of `egregora doctor`. */
export const DoctorGateSchema = z
  .object({
    /** Stable, kebab-case: scripts may look a gate up by name. */
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    status: GateStatusSchema,
    /** Whether a `fail` of this gate makes doctor fail (`ok: false`, non-zero exit). */
    required: z.boolean(),
    /** One sentence for people, with counts and a few short ids. */
    detail: z.string().min(1),
    /** A few full ids (run ids, or file paths for file gates) of what failed; empty on a pass. */
    examples: z.array(z.string()),
  })
  .strict();
export type DoctorGate = z.infer<typeof DoctorGateSchema>;

/** `--json` of `egregora doctor`. `ok` is false exactly when a required gate failed. */
export const DoctorOutputSchema = z
  .object({
    state_dir: z.string(),
    gates: z.array(DoctorGateSchema),
    ok: z.boolean(),
  })
  .strict();
export type DoctorOutput = z.infer<typeof DoctorOutputSchema>;
