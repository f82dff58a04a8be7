import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'electron/**/*.test.ts',
      'sandbox/**/*.test.ts',
      'cli/**/*.test.ts',
      'bench/**/*.test.ts',
      'renderer/src/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    // Tests against real servers are their own stage (`npm run test:real`, vitest.real.config.ts).
    exclude: [...configDefaults.exclude, '**/*.real.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
