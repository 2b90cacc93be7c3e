import { describe, expect, it, vi } from 'vitest';
import { subgraphConnectionsPlugin } from './subgraph-connections.js';
import { serverWith } from './testing.js';

describe('subgraphConnectionsPlugin', () => {
  it('closes the connections when the server stops, not before', async () => {
    const connections = { close: vi.fn(async () => {}) };
    const server = await serverWith(subgraphConnectionsPlugin(connections));
    expect(connections.close).not.toHaveBeenCalled();
    await server.stop();
    expect(connections.close).toHaveBeenCalledOnce();
  });
});
