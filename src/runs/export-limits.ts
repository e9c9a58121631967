/**
 * Largest `runs export --limit`, apart from the service so that the command offers it in `--help`
 * without loading DuckDB. COPY streams rows to the file, so memory is not what bounds it; ten times
 * the benchmark's year of heavy use (1,000,000 runs) catches a mistyped number without ever refusing
 * a real store. Without `--limit` every matching run is exported.
 */
export const MAX_EXPORT_ROWS = 10_000_000;
