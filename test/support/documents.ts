import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type * as contract from '../__generated__/contract.js';
import type { graphql as generatedGraphql } from '../__generated__/local/gql.js';

/**
 * A document as the gateway receives it (its text), carrying its result and variables types.
 * Codegen (test/codegen.ts) derives the types; at run time a document is only a string.
 */
export type TypedDocument<Result, Variables> = string & DocumentTypeDecoration<Result, Variables>;

type Typed<D> = D extends DocumentTypeDecoration<infer R, infer V> ? TypedDocument<R, V> : never;

type Contract = typeof contract;

/** The name of a contract operation the supergraph serves (`test/contract/*.graphql`). */
export type OperationName = {
  [K in keyof Contract]: K extends `${infer Name}Document` ? Name : never;
}[keyof Contract];

/** The typed document of a contract operation. */
export type ContractDocument<N extends OperationName> = Typed<Contract[`${N}Document`]>;

/**
 * A document a test writes itself: graphql(`query Name …`) with a literal text, which codegen
 * finds and types. Its value is the text itself (codegen's own `graphql` would return a
 * TypedDocumentString holding the same text).
 */
export const graphql = ((source: string) => source) as unknown as typeof generatedGraphql;
