import { HeaderMap } from '@apollo/server';
import { createLogger, unauthenticated } from '@trellis/kit';
import { describe, expect, it } from 'vitest';
import { refusalLogPlugin } from './refusal-log.js';
import { contextOf, serverWith } from './testing.js';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('test', {
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

describe('refusalLogPlugin', () => {
  it('logs a FORBIDDEN answer with request id, subject and organization', async () => {
    const { logger, lines } = capturedLogger();
    const server = await serverWith(refusalLogPlugin(logger));
    await server.executeOperation(
      { query: '{ secret }', variables: {} },
      { contextValue: contextOf({ requestId: 'request-0042' }) },
    );
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request refused: not authorized',
        requestId: 'request-0042',
        subject: 'user-1',
        org: 'org-1',
        codes: ['FORBIDDEN'],
      }),
    ]);
    await server.stop();
  });

  it('logs nothing for an answer without refusals', async () => {
    const { logger, lines } = capturedLogger();
    const server = await serverWith(refusalLogPlugin(logger));
    await server.executeOperation({ query: '{ hello nope }' }, { contextValue: contextOf() });
    expect(lines).toEqual([]);
    await server.stop();
  });

  it('logs a failed authentication with its code and without the token', async () => {
    const { logger, lines } = capturedLogger();
    const server = await serverWith(refusalLogPlugin(logger));
    const headers = new HeaderMap([
      ['content-type', 'application/json'],
      ['authorization', 'Bearer not-a-token'],
    ]);
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query: '{ hello }' } },
      context: async () => {
        throw unauthenticated('the bearer token is invalid or expired');
      },
    });
    expect(response.status).toBe(401);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request refused at the edge: authentication failed',
        code: 'UNAUTHENTICATED',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('not-a-token');
    await server.stop();
  });
});
