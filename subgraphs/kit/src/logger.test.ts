import { describe, expect, it } from 'vitest';
import { createLogger, REDACT_PATHS, scrub } from './logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger('test', {
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, text: () => lines.join('') };
}

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLWJ5dGVz';
const SECRETS = [
  'jane.doe+x@example.com',
  JWT,
  'whsec_c2VjcmV0LXNpZ25pbmcta2V5',
  'postgresql://trellis:s3cr3t@db.internal:5432/trellis',
  'redis://:hunter2@cache.internal:6379',
  'p4ssw0rd-value',
  '+49 30 1234567',
];

describe('log redaction', () => {
  it('redacts credential and PII fields by name', () => {
    const { logger, text } = capture();
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${JWT}`, 'x-trellis-caller': JWT } },
        password: 'p4ssw0rd-value',
        engineer: { email: 'jane.doe+x@example.com', phone: '+49 30 1234567' },
        config: { databaseUrl: 'postgresql://trellis:s3cr3t@db.internal:5432/trellis' },
        subscription: { secret: 'whsec_c2VjcmV0LXNpZ25pbmcta2V5' },
      },
      'event',
    );
    for (const secret of SECRETS.filter((s) => !s.startsWith('redis')))
      expect(text()).not.toContain(secret);
    expect(text()).toContain('[REDACTED]');
  });

  it('scrubs secrets that hide in messages, errors and unknown fields', () => {
    const { logger, text } = capture();
    const err = new Error(
      `duplicate key value: Key (email)=(jane.doe+x@example.com) exists, url postgresql://trellis:s3cr3t@db.internal:5432/trellis`,
    );
    Object.assign(err, { detail: `token ${JWT} and whsec_c2VjcmV0LXNpZ25pbmcta2V5` });
    logger.error(
      { err, note: 'cache at redis://:hunter2@cache.internal:6379' },
      `failed for Bearer ${JWT}`,
    );
    logger.warn('mail to %s', 'jane.doe+x@example.com');
    for (const secret of SECRETS.filter((s) => !s.startsWith('+') && !s.startsWith('p4'))) {
      expect(text()).not.toContain(secret);
    }
    expect(text()).toContain('duplicate key value');
  });

  it('keeps what is not secret', () => {
    expect(scrub('request 0190a000-0000-7000-8000-000000000001 took 12 ms')).toBe(
      'request 0190a000-0000-7000-8000-000000000001 took 12 ms',
    );
    expect(REDACT_PATHS).toEqual(expect.arrayContaining(['email', 'phone', 'secret', 'token']));
  });
});
