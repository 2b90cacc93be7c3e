import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  type GraphQLFormattedError,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { GatewayContext } from './context.js';

/** Operation limits at the edge (their values are documented in docs/security.md). */
export const LIMITS = {
  maxDepth: 15,
  maxAliases: 15,
  maxTokens: 3000,
  maxCost: 20000,
  maxDirectives: 50,
};

/**
 * A limit refusal names the limit (`extensions.limit`), never its value: HTTP 400,
 * GRAPHQL_VALIDATION_FAILED, before any subgraph is called.
 */
const refuseOver = (limit: keyof typeof LIMITS) => ({
  exposeLimits: false,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null) =>
      context?.reportError(
        new GraphQLError(`the operation exceeds the ${limit} limit`, { extensions: { limit } }),
      ),
  ],
});

/** The token limit is the parser's own (a refusal inside parsing would answer HTTP 500). */
const TOKENS_EXCEEDED = /^Syntax Error: Document contains more th(?:an|at) \d+ tokens/;
export const hideTokenLimit = (formatted: GraphQLFormattedError): GraphQLFormattedError =>
  TOKENS_EXCEEDED.test(formatted.message)
    ? {
        message: 'the operation exceeds the maxTokens limit',
        extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: 'maxTokens' },
      }
    : formatted;

/**
 * graphql-armor's cost estimate of each validated document (the rate limit charges it). Apollo
 * validates a document once and reuses the same node for later requests, so the cost is kept
 * by document, not by request.
 */
const costs = new WeakMap<object, number>();
export const costOf = (document: object | undefined): number | undefined =>
  document ? costs.get(document) : undefined;

/**
 * The limits as Apollo Server options: graphql-armor's validation rules and plugins, and the
 * parser's token limit (formatted by `hideTokenLimit`). Field suggestions are masked outside
 * development.
 */
export function operationLimits(development: boolean) {
  const protection = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, ...refuseOver('maxDepth') },
    maxAliases: { n: LIMITS.maxAliases, ...refuseOver('maxAliases') },
    maxTokens: { enabled: false },
    costLimit: {
      maxCost: LIMITS.maxCost,
      ...refuseOver('maxCost'),
      onAccept: [
        (context: ValidationContext | null, { n }: { n: number }) => {
          const document = context?.getDocument();
          if (document) costs.set(document, Math.max(n, costs.get(document) ?? 0));
        },
      ],
    },
    maxDirectives: { n: LIMITS.maxDirectives, ...refuseOver('maxDirectives') },
    blockFieldSuggestion: { enabled: !development },
  }).protect();
  return {
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: protection.validationRules as ValidationRule[],
    // graphql-armor ships CommonJS typings of Apollo's plugin type
    plugins: protection.plugins as unknown as ApolloServerPlugin<GatewayContext>[],
  };
}
