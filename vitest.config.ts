import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
