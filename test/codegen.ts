import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import type { CodegenConfig } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { Kind, printSchema } from 'graphql';

// Tests speak to the gateway, so their documents are typed against the API schema clients see
// (the composed supergraph without its federation machinery).
const apiSchema = printSchema(
  Supergraph.build(readFileSync('../gateway/supergraph.graphql', 'utf8'))
    .apiSchema()
    .toGraphQLJSSchema(),
);

// Contract operations the supergraph does not serve yet (`contract/PENDING`: a name, then `# issue N`;
// `pnpm registry:check` keeps the list honest) have no types to give.
const pending = new Set(
  readFileSync('contract/PENDING', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s/)[0])
    .filter((name) => name && !name.startsWith('#')),
);
const withoutPending: Types.DocumentTransformObject = {
  transform: ({ documents }) =>
    documents.flatMap((file) => {
      if (!file.document) return [file];
      const definitions = file.document.definitions.filter(
        (def) => def.kind !== Kind.OPERATION_DEFINITION || !pending.has(def.name?.value ?? ''),
      );
      return definitions.length ? [{ ...file, document: { ...file.document, definitions } }] : [];
    }),
};

// Documents are plain strings at run time (the text the gateway receives); only their types
// come from here, so a test runs without codegen, and typecheck needs it (turbo runs it first).
const config = {
  documentMode: 'string',
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { DateTime: 'string', Decimal: 'string', Currency: 'string', JSON: 'unknown' },
};

const codegen: CodegenConfig = {
  schema: apiSchema,
  generates: {
    // the client contract: one typed document per operation, for `op(name)` (support/contract.ts)
    '__generated__/contract.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      documents: ['contract/*.graphql'],
      documentTransforms: [withoutPending],
      config,
    },
    // documents a test writes itself, as graphql(`…`) (support/graphql.ts)
    '__generated__/local/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...config, emitLegacyCommonJSImports: false },
      documents: ['*.test.ts', 'security/*.ts', 'support/*.ts'],
    },
  },
  ignoreNoDocuments: true,
  silent: true,
};
export default codegen;
