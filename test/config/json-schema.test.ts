import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parseConfigText} from '../../src/config/file.js';
import {configJsonSchema, configJsonSchemaText} from '../../src/config/json-schema.js';

const COMMITTED = fileURLToPath(new URL('../../schemas/egregora.schema.json', import.meta.url));

interface ObjectSchema {
  type: string;
  properties: Record<string, {type?: string; description?: string; format?: string}>;
  additionalProperties: unknown;
}

describe('schemas/egregora.schema.json', () => {
  it('holds the same schema as the zod one (run `npm run schema:make` when this fails)', () => {
    const committed: unknown = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    expect(committed, 'schemas/egregora.schema.json is stale: run `npm run schema:make`').toEqual(
      JSON.parse(configJsonSchemaText()),
    );
  });

  it('is JSON Schema 2020-12 with a title, closed at both levels', () => {
    const schema = configJsonSchema() as unknown as ObjectSchema & {$schema: string; title: string};
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('egregora.json');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    const llm = schema.properties.llm as unknown as ObjectSchema;
    expect(llm.type).toBe('object');
    expect(llm.additionalProperties).toBe(false);
  });

  it('lists the top-level keys and the llm keys, each described', () => {
    const schema = configJsonSchema() as unknown as ObjectSchema;
    expect(Object.keys(schema.properties)).toEqual([
      '$schema',
      'output',
      'windowUnit',
      'windowSize',
      'overlap',
      'maxWindowTokens',
      'writer',
      'timezone',
      'chat',
      'dateOrder',
      'maxSize',
      'failFast',
      'concurrency',
      'maxTokens',
      'html',
      'title',
      'llm',
    ]);
    const llm = schema.properties.llm as unknown as ObjectSchema;
    expect(Object.keys(llm.properties)).toEqual(['url', 'model', 'instructions', 'timeoutSeconds', 'cache']);
    for (const [key, property] of Object.entries(llm.properties)) {
      expect(property.description, `llm.${key}`).toMatch(/\S/);
    }
    expect(llm.properties.url?.format).toBe('uri');
    expect(llm.properties.timeoutSeconds?.type).toBe('integer');
    expect(llm.properties.cache?.type).toBe('boolean');
  });

  it('configJsonSchemaText is the schema as indented JSON ending in a newline', () => {
    const text = configJsonSchemaText();
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(configJsonSchema());
  });

  it('a sample egregora.json pointing at the schema with "$schema" is accepted', () => {
    const sample = `{
  "$schema": "./schemas/egregora.schema.json",
  "writer": "llm",
  "output": "blog",
  "llm": {
    "url": "http://127.0.0.1:11434/v1",
    "model": "llama3.2",
    "instructions": "Write in a friendly tone.",
    "timeoutSeconds": 600,
    "cache": true
  }
}
`;
    expect(parseConfigText(sample, '/tmp/egregora.json')).toEqual({
      $schema: './schemas/egregora.schema.json',
      writer: 'llm',
      output: 'blog',
      llm: {
        url: 'http://127.0.0.1:11434/v1',
        model: 'llama3.2',
        instructions: 'Write in a friendly tone.',
        timeoutSeconds: 600,
        cache: true,
      },
    });
  });
});

describe('schemas/egregora.schema.json, byte for byte', () => {
  it('is exactly what configJsonSchemaText() writes (Biome leaves the generated file alone)', () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../schemas/egregora.schema.json', import.meta.url)),
      'utf8',
    );
    expect(committed, 'schemas/egregora.schema.json is stale: run `npm run schema:make`').toBe(
      configJsonSchemaText(),
    );
  });
});
