import {renderToString} from 'ink';
import type {ReactNode} from 'react';

/**
 * Static views (tables, panels) are rendered once to a string and written, never mounted: a mounted
 * Ink app clears the scrollback when its output is taller than the terminal (see STACK.md).
 */
export function renderStatic(element: ReactNode, columns: number): string {
  return renderToString(element, {columns});
}
