// Commands check telemetryEnabled at every start; the SDK (hundreds of kilobytes) must load only
// when spans are exported. A value import of an @opentelemetry package at the top of any file here
// would load it for everyone, so the sources are checked for that: only `import type` and `import()`.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const SOURCE_DIR = fileURLToPath(new URL('../../src/telemetry/', import.meta.url));
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"](@opentelemetry\/[^'"]+)['"]/gm;

describe('src/telemetry', () => {
  it('imports the OpenTelemetry SDK only dynamically', () => {
    const files = readdirSync(SOURCE_DIR).filter((name) => name.endsWith('.ts'));
    expect(files).toContain('export-runs.ts');
    const offenders = files.flatMap((name) => {
      const source = readFileSync(path.join(SOURCE_DIR, name), 'utf8');
      return [...source.matchAll(STATIC_IMPORT)].map((match) => `${name}: ${match[1]}`);
    });
    expect(offenders).toEqual([]);
  });

  it('keeps enabled.ts free of imports', () => {
    const source = readFileSync(path.join(SOURCE_DIR, 'enabled.ts'), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
  });
});
