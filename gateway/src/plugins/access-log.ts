import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import { activeTraceIds, type Logger, REQUEST_ID_HEADER } from '@trellis/kit';
import type { AccessRecord, GatewayContext } from '../context.js';

/**
 * One line per request at the gateway, written when the response is done, refusals before
 * GraphQL (CORS, body too large, bad JSON) included: method, path, status, duration, request id,
 * trace id and, once GraphQL has them, the operation name, the caller's organization and the
 * number of errors. Never the document, the variables or the token.
 */
export function accessLog(logger: Logger) {
  const records = new WeakMap<IncomingMessage, AccessRecord>();
  return {
    /** starts the line of one request (the edge calls it first, the request id settled) */
    begin(req: IncomingMessage, res: ServerResponse): void {
      const start = performance.now();
      const record: AccessRecord = {};
      records.set(req, record);
      // read now: the close event does not run in the request's trace context
      const trace = activeTraceIds();
      res.once('close', () => {
        logger.info(
          {
            requestId: res.getHeader(REQUEST_ID_HEADER),
            ...(trace && { traceId: trace.traceId }),
            method: req.method,
            path: (req.url ?? '/').split('?')[0],
            status: res.statusCode,
            durationMs: Math.round((performance.now() - start) * 100) / 100,
            operation: record.operation ?? null,
            org: record.org ?? null,
            errors: record.errors ?? 0,
          },
          'request',
        );
      });
    },
    /** the record GraphQL fills for this request (the context holds it) */
    recordOf: (req: IncomingMessage): AccessRecord | undefined => records.get(req),
    plugin: {
      async requestDidStart({ contextValue }) {
        return {
          async willSendResponse({ operationName, request, errors }) {
            const record = contextValue.access;
            if (!record) return;
            record.operation = operationName ?? request.operationName ?? undefined;
            record.org = contextValue.caller.orgId;
            record.errors = errors?.length ?? 0;
          },
        };
      },
    } satisfies ApolloServerPlugin<GatewayContext>,
  };
}
