/**
 * Whether runs should be exported to OpenTelemetry. Kept apart from export-runs.ts and free of
 * imports so that every command can ask without loading the SDK (which costs start-up time).
 */

/** The variables that name a collector; one of them being set is what turns export on. */
export const ENDPOINT_VARIABLES = [
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
] as const;

/**
 * Whether `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set to something
 * other than blanks (the SDK reads a blank variable as unset). The SDK's own off switches win:
 * `OTEL_SDK_DISABLED=true` and `OTEL_TRACES_EXPORTER=none` mean "no traces" in every OTel SDK, and a
 * user who set them for their environment expects egregora to obey them too.
 */
export function telemetryEnabled(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim().toLowerCase());
  if (exporters.includes('none')) return false;
  return ENDPOINT_VARIABLES.some((name) => nonBlank(env[name]));
}

function nonBlank(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
