import { existsSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

// Shared by every subgraph (run from the subgraph's folder). A subgraph maps its GraphQL types
// to the rows its resolvers return in `src/mappers.json`.
const mappers: Record<string, string> = existsSync('src/mappers.json')
  ? JSON.parse(readFileSync('src/mappers.json', 'utf8'))
  : {};

const config: CodegenConfig = {
  // the kit's guard directives are part of every subgraph's SDL (kit/src/sdl.ts)
  schema: ['src/**/*.graphql', '../kit/src/guards.graphql'],
  generates: {
    'src/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useTypeImports: true,
        contextType: '../context.js#Context',
        mappers,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: {
          DateTime: { input: 'Date', output: 'Date | string' },
          JSON: 'unknown',
          Currency: 'string',
          Decimal: { input: 'string', output: 'string | { toString(): string }' },
        },
      },
    },
  },
  silent: true,
};
export default config;
