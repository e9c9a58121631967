import {describe, expect, it} from 'vitest';
import {ExitCode, UserError} from '../../src/util/errors.js';
import {DEFAULT_WRITER_NAME, getWriter, registerWriter, writerNames} from '../../src/writers/registry.js';
import type {Writer} from '../../src/writers/writer.js';

const stubWriter = (name: string): Writer => ({
  name,
  write: async () => ({posts: [], media: [], llmCalls: 0, tokens: 0, shortfalls: []}),
});

describe('writer registry', () => {
  it('has the offline digest writer as the default', () => {
    expect(DEFAULT_WRITER_NAME).toBe('digest');
    expect(writerNames()).toContain('digest');
    expect(getWriter('digest').name).toBe('digest');
  });

  it('gives a fresh instance per call', () => {
    expect(getWriter('digest')).not.toBe(getWriter('digest'));
  });

  it('refuses an unknown name as a usage error that lists the known ones', () => {
    try {
      getWriter('gpt-9');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(ExitCode.usage);
      expect((error as UserError).message).toContain("'gpt-9'");
      expect((error as UserError).hint).toContain('digest');
    }
  });

  it('registers extra writers, sorted by name, until they are removed', () => {
    const removeB = registerWriter('test-b', () => stubWriter('test-b'));
    const removeA = registerWriter('test-a', () => stubWriter('test-a'));
    try {
      expect(writerNames()).toEqual([...writerNames()].sort());
      expect(writerNames()).toEqual(expect.arrayContaining(['test-a', 'test-b', 'digest']));
      expect(getWriter('test-a').name).toBe('test-a');
    } finally {
      removeA();
      removeB();
    }
    expect(writerNames()).not.toContain('test-a');
  });

  it('refuses taken and malformed names', () => {
    expect(() => registerWriter('digest', () => stubWriter('digest'))).toThrow(/already registered/);
    expect(() => registerWriter('Bad Name', () => stubWriter('x'))).toThrow(RangeError);
    expect(() => registerWriter('', () => stubWriter('x'))).toThrow(RangeError);
  });
});
