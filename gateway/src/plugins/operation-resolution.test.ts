import { describe, expect, it } from 'vitest';
import { operationResolutionPlugin } from './operation-resolution.js';
import { contextOf, serverWith } from './testing.js';

const TWO = 'query A { hello } query B { hello }';

describe('operationResolutionPlugin', () => {
  it('refuses a document whose operation cannot be chosen with HTTP 400', async () => {
    const server = await serverWith(operationResolutionPlugin());
    for (const [operationName, message] of [
      [undefined, 'the document has several operations: name one in operationName'],
      ['C', 'the document has no operation named "C"'],
    ] as const) {
      const response = await server.executeOperation(
        { query: TWO, operationName },
        { contextValue: contextOf() },
      );
      expect(response.http.status).toBe(400);
      expect(response.body).toMatchObject({
        kind: 'single',
        singleResult: {
          errors: [{ message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }],
        },
      });
    }
    await server.stop();
  });

  it('lets a named operation through', async () => {
    const server = await serverWith(operationResolutionPlugin());
    const response = await server.executeOperation(
      { query: TWO, operationName: 'B' },
      { contextValue: contextOf() },
    );
    expect(response.body).toMatchObject({ singleResult: { data: { hello: 'world' } } });
    await server.stop();
  });
});
