/**
 * The file formats `runs export` writes, without zod, so that the command module (loaded for every
 * `--help`) can offer them as flag options without paying for the schema library at start-up.
 * Each is written by DuckDB's own `COPY … TO` (parquet; csv with a header; json = one object per line).
 */
export const EXPORT_FORMATS = ['parquet', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
