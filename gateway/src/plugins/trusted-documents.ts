import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { TrustedDocuments, TrustedDocumentsMode } from '../trusted-documents.js';

const refuse = (message: string, code: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** The `documentId` of a request: in a POST body, or a GET's query string. */
function documentIdOf(http: { method: string; body: unknown; search: string } | undefined) {
  if (!http) return undefined;
  if (http.method === 'GET') return new URLSearchParams(http.search).get('documentId') ?? undefined;
  const body = http.body;
  if (body && typeof body === 'object' && 'documentId' in body) {
    const id = (body as { documentId: unknown }).documentId;
    if (typeof id !== 'string') throw refuse('documentId must be a string', 'BAD_REQUEST');
    return id;
  }
  return undefined;
}

/**
 * Trusted documents (persisted operations): a request may name a document of the manifest by
 * id (`{"documentId": "sha256:…"}`) instead of sending its text. In `only` mode nothing else
 * runs: no ad-hoc document, no APQ registration.
 */
export function trustedDocumentsPlugin(
  documents: TrustedDocuments,
  mode: TrustedDocumentsMode,
): ApolloServerPlugin<GatewayContext> {
  /** The refusal of a request, or the trusted text it names (undefined: an ad-hoc request). */
  function resolve(http: Parameters<typeof documentIdOf>[0], query: unknown, apq: unknown) {
    let id: string | undefined;
    try {
      id = documentIdOf(http);
    } catch (error) {
      return error as GraphQLError;
    }
    if (id === undefined)
      return mode === 'only'
        ? refuse(
            'this gateway runs trusted documents only: send {"documentId": "sha256:…"}',
            'TRUSTED_DOCUMENT_REQUIRED',
          )
        : undefined;
    if (query !== undefined || apq)
      return refuse('send either a documentId or a query, not both', 'BAD_REQUEST');
    const trusted = Object.hasOwn(documents, id) ? documents[id] : undefined;
    return (
      trusted?.document ??
      refuse(`no trusted document has the id "${id}"`, 'TRUSTED_DOCUMENT_NOT_FOUND')
    );
  }

  return {
    async requestDidStart({ request }) {
      const resolved = resolve(request.http, request.query, request.extensions?.persistedQuery);
      if (resolved === undefined) return;
      if (typeof resolved === 'string') {
        // the pipeline reads the query after this hook: it runs the trusted text
        request.query = resolved;
        return;
      }
      // Apollo answers an error thrown here with a 500; the first hook whose error it answers
      // as given is didResolveOperation. Until then the pipeline parses a stand-in, never the
      // refused text (whose parse or validation errors would describe the schema).
      request.query = '{ __typename }';
      request.extensions = undefined;
      return {
        async didResolveOperation() {
          throw resolved;
        },
      };
    },
  };
}
