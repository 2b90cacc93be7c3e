import { describe, expect, it } from 'vitest';
import { allowedOrigin, corsHeaders, corsProblem, DEMO_CORS_ORIGINS } from './cors.js';

describe('allowedOrigin', () => {
  const options = { origins: ['https://app.example.com', 'http://localhost:*'] };

  it('allows listed origins and any port of a wildcard host', () => {
    expect(allowedOrigin(options, 'https://app.example.com')).toBe('https://app.example.com');
    expect(allowedOrigin(options, 'http://localhost:5173')).toBe('http://localhost:5173');
    expect(allowedOrigin(options, 'http://localhost')).toBe('http://localhost');
  });

  it('refuses look-alikes, other schemes and no origin', () => {
    for (const origin of [
      'https://app.example.com.evil.test',
      'http://app.example.com',
      'http://localhost.evil.test:5173',
      'https://localhost:5173',
      'null',
      undefined,
    ])
      expect(allowedOrigin(options, origin), origin).toBeUndefined();
  });

  it('answers "*" for any origin only without credentials', () => {
    expect(allowedOrigin({ origins: ['*'] }, 'https://x.test')).toBe('*');
    expect(allowedOrigin({ origins: ['*'], credentials: true }, 'https://x.test')).toBeUndefined();
  });

  it('the demo accepts local development servers only', () => {
    const demo = { origins: DEMO_CORS_ORIGINS };
    expect(allowedOrigin(demo, 'http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(allowedOrigin(demo, 'https://example.com')).toBeUndefined();
  });
});

describe('corsProblem', () => {
  it('refuses "*" with credentials and things that are no origin', () => {
    expect(corsProblem({ origins: ['*'], credentials: true })).toMatch(/credentials/);
    expect(corsProblem({ origins: ['https://a.test/path'] })).toMatch(/not an origin/);
    expect(corsProblem({ origins: ['a.test'] })).toMatch(/not an origin/);
    expect(corsProblem({ origins: ['*', 'https://a.test', 'http://localhost:*'] })).toBeUndefined();
  });
});

describe('corsHeaders', () => {
  it('lists methods and headers on a preflight, exposes the request id otherwise', () => {
    const options = { origins: ['http://localhost:5173'], credentials: true };
    expect(corsHeaders(options, 'http://localhost:5173', true)).toEqual({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers':
        'authorization, content-type, apollo-require-preflight, idempotency-key, x-request-id',
      'access-control-max-age': '600',
    });
    expect(corsHeaders(options, 'http://localhost:5173', false)).toEqual({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id',
    });
    expect(corsHeaders(options, 'http://localhost:3000', true)).toEqual({});
  });
});
