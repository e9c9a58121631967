import type {ChatMessage} from '../../schemas/message.js';
import type {Window} from '../../schemas/window.js';
import {buildWindow} from './build-window.js';
import {estimateTokens} from './estimate-tokens.js';

/**
 * Splits a window whose estimated tokens exceed `maxTokens` into consecutive parts that each fit,
 * packing greedily in order; a single message over the budget goes alone into its own part. Each part
 * keeps the parent's `index`, gets `part: {index, count}` (0-based) and its own fingerprint. A window
 * that fits, or that holds a single message, comes back unchanged as the only element.
 * Parts are not split again: a part already carries its parent's numbering.
 */
export function splitWindow(window: Window, maxTokens: number): Window[] {
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 1) {
    throw new RangeError(`maxTokens must be a positive integer, got ${maxTokens}`);
  }
  if (window.part !== undefined) throw new RangeError(`window ${window.index} is already a split part`);
  if (estimateTokens(window.messages) <= maxTokens) return [window];
  const groups = packByTokens(window.messages, maxTokens);
  if (groups.length < 2) return [window];
  return groups.map((messages, index) => buildWindow(window.index, messages, {index, count: groups.length}));
}

function packByTokens(messages: readonly ChatMessage[], maxTokens: number): ChatMessage[][] {
  const groups: ChatMessage[][] = [];
  let current: ChatMessage[] = [];
  let used = 0;
  for (const message of messages) {
    const tokens = estimateTokens([message]);
    if (current.length > 0 && used + tokens > maxTokens) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(message);
    used += tokens;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
