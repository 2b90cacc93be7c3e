import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// One graphql module for everyone: Vite would load graphql's ESM build for our imports while
// @apollo/subgraph requires the CommonJS one ("another module or realm").
const graphql = createRequire(import.meta.url).resolve('graphql', { paths: ['./subgraphs/kit'] });

export default defineConfig({
  resolve: { alias: { graphql } },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'subgraphs/*/src/**/*.test.ts',
            'gateway/src/**/*.test.ts',
            'gateway/*/src/**/*.test.ts',
            'prisma/src/**/*.test.ts',
          ],
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
