import {BIGINT, LIST, VARCHAR} from '@duckdb/node-api';

/**
 * Types for list parameters (`unnest($1::UUID[])`). Always pass them: without an explicit type DuckDB
 * infers a list's type from its first element, and a list that starts with null silently turns every
 * element into null (measured with @duckdb/node-api 1.5.5).
 */
export const TEXT_LIST = LIST(VARCHAR);
export const COUNT_LIST = LIST(BIGINT);
