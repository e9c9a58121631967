/**
 * The bounds of `runs lineage`, apart from the service so that the command can state them in its
 * `--help` without loading DuckDB.
 */

/**
 * Levels read above and below the run. The pipeline's deepest chain is process → ingest → window →
 * part (three levels), so six leaves room for what later stages add and cuts only chains written by
 * hand or a cycle.
 */
export const LINEAGE_MAX_DEPTH = 6;

/**
 * Relatives listed per node, first started first; the rest are counted. An ingest run has one child
 * per window (thousands); ten is what `runs show` lists too, and what a person reads before paging.
 */
export const LINEAGE_MAX_WIDTH = 10;

/**
 * Nodes in one answer, both trees together: ten windows of ten parts each is 111 nodes under an
 * ingest run, so 250 holds any real tree and keeps a pathological one to a few screens.
 */
export const LINEAGE_MAX_NODES = 250;
