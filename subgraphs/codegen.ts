import { existsSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import ts from 'typescript';

// Shared by every subgraph (run from the subgraph's folder). A subgraph maps its GraphQL types
// to the rows its resolvers return in `src/mappers.ts`, re-exporting each row type under the
// GraphQL type's name, so tsc checks every mapping (codegen's own mappers are unchecked strings).
const mappers: Record<string, string> = {};
if (existsSync('src/mappers.ts')) {
  const source = ts.createSourceFile(
    'mappers.ts',
    readFileSync('src/mappers.ts', 'utf8'),
    ts.ScriptTarget.Latest,
  );
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause) continue;
    if (!ts.isNamedExports(statement.exportClause)) continue;
    for (const { name } of statement.exportClause.elements) {
      mappers[name.text] = `../mappers.js#${name.text}`;
    }
  }
}

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
        // `Product` the row, imported as `ProductMapper` beside the generated `Product` type
        mapperTypeSuffix: 'Mapper',
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
