import {describe, expect, it} from 'vitest';
import {ExitCode, UserError} from '../../src/util/errors.js';
import {DEFAULT_WRITER_NAME, getWriter, registerWriter, writerNames} from '../../src/writers/registry.js';
import type {Writer, WriterContext} from '../../src/writers/writer.js';

const context: WriterContext = {
  stateDir: '/nonexistent/.egregora',
  llm: {url: 'http://127.0.0.1:9/v1', model: 'fake-model', instructions: '', timeoutSeconds: 5, cache: false},
  apiKey: null,
  onWarning: () => undefined,
};

const stubWriter = (name: string): Writer => ({
  name,
  write: async () => ({posts: [], media: [], llmCalls: 0, tokens: 0, shortfalls: []}),
});

describe('writer registry', () => {
  it('has the offline digest writer as the default', async () => {
    expect(DEFAULT_WRITER_NAME).toBe('digest');
    expect(writerNames()).toContain('digest');
    expect((await getWriter('digest', context)).name).toBe('digest');
  });

  it('gives a fresh instance per call', async () => {
    expect(await getWriter('digest', context)).not.toBe(await getWriter('digest', context));
  });

  it('loads the LLM writer only when it is asked for, and lists it', async () => {
    expect(writerNames()).toContain('llm');
    expect((await getWriter('llm', context)).name).toBe('llm');
  });

  it('refuses an unknown name as a usage error that lists the known ones', async () => {
    try {
      await getWriter('gpt-9', context);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(ExitCode.usage);
      expect((error as UserError).message).toContain("'gpt-9'");
      expect((error as UserError).hint).toContain('digest');
    }
  });

  it('registers extra writers, sorted by name, until they are removed', async () => {
    const removeB = registerWriter('test-b', () => stubWriter('test-b'));
    const removeA = registerWriter('test-a', () => stubWriter('test-a'));
    try {
      expect(writerNames()).toEqual([...writerNames()].sort());
      expect(writerNames()).toEqual(expect.arrayContaining(['test-a', 'test-b', 'digest']));
      expect((await getWriter('test-a', context)).name).toBe('test-a');
    } finally {
      removeA();
      removeB();
    }
    expect(writerNames()).not.toContain('test-a');
  });

  it('refuses taken and malformed names', () => {
    expect(() => registerWriter('digest', () => stubWriter('digest'))).toThrow(/already registered/);
    expect(() => registerWriter('llm', () => stubWriter('llm'))).toThrow(/already registered/);
    expect(() => registerWriter('Bad Name', () => stubWriter('x'))).toThrow(RangeError);
    expect(() => registerWriter('', () => stubWriter('x'))).toThrow(RangeError);
  });
});
