import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['subgraphs/*/src/**/*.test.ts', 'gateway/src/**/*.test.ts', 'prisma/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'supergraph',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          // each file runs its own supergraph on its own database
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
