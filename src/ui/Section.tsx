import {Box, Text} from 'ink';
import type {ReactNode} from 'react';

/**
 * A titled part of a panel, a line below what precedes it: the title bold and underlined on a
 * colour terminal, `== title ==` in plain text (so that piped output still shows where it starts).
 */
export function Section({title, color, children}: {title: string; color: boolean; children: ReactNode}) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold={color} underline={color}>
        {color ? title : `== ${title} ==`}
      </Text>
      {children}
    </Box>
  );
}
