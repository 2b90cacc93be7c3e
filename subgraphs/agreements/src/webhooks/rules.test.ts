import { describe, expect, it } from 'vitest';
import { callerOf } from '../testing.js';
import {
  attemptOutcome,
  canSeeWebhookSubscription,
  createWebhookSubscriptionInput,
  disableReason,
  isPrivateAddress,
  parseSchedule,
  resolveTarget,
  retryDelay,
  TargetRefused,
  urlProblem,
  wantsEvent,
  webhookDeliveriesArgs,
  webhookListScope,
} from './rules.js';
import { decryptSecret, encryptSecret, newSigningSecret, signingSecrets } from './secrets.js';

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';

describe('canSeeWebhookSubscription', () => {
  it('shows a subscription to its owner organization', () => {
    expect(canSeeWebhookSubscription(callerOf(A), A)).toBe(true);
  });
  it('hides it from other organizations, whatever their scopes', () => {
    expect(canSeeWebhookSubscription(callerOf(B, 'webhooks:manage'), A)).toBe(false);
    expect(canSeeWebhookSubscription(callerOf(null, 'webhooks:manage'), A)).toBe(false);
  });
  it('shows it to admin', () => {
    expect(canSeeWebhookSubscription(callerOf(B, 'admin'), A)).toBe(true);
  });
});

describe('webhookListScope', () => {
  it('keeps a caller to its own subscriptions', () => {
    expect(webhookListScope(callerOf(A))).toEqual({ ownerOrgId: A });
    expect(webhookListScope(callerOf(A), A)).toEqual({ ownerOrgId: A });
  });
  it('shows nothing of another organization, or to a caller without one', () => {
    expect(webhookListScope(callerOf(A), B)).toBeNull();
    expect(webhookListScope(callerOf(null))).toBeNull();
  });
  it('shows admin everything, or one organization’s', () => {
    expect(webhookListScope(callerOf(null, 'admin'))).toEqual({ ownerOrgId: null });
    expect(webhookListScope(callerOf(A, 'admin'), B)).toEqual({ ownerOrgId: B });
  });
});

describe('webhookDeliveriesArgs', () => {
  it('needs a subscription id', () => {
    expect(webhookDeliveriesArgs.safeParse({ subscriptionId: A }).success).toBe(true);
    expect(webhookDeliveriesArgs.safeParse({ subscriptionId: 'sub-1' }).success).toBe(false);
  });
});

describe('createWebhookSubscriptionInput', () => {
  it('keeps event types sorted and once, "*" allowed', () => {
    const input = createWebhookSubscriptionInput.parse({
      orgId: A,
      url: ' https://hooks.example.com/in ',
      eventTypes: ['ticket.created', '*', 'ticket.created'],
    });
    expect(input).toMatchObject({
      url: 'https://hooks.example.com/in',
      eventTypes: ['*', 'ticket.created'],
    });
  });
  it('refuses no event type and what is not one', () => {
    for (const eventTypes of [[], ['ticket'], ['ticket.*'], ['Ticket.Created']]) {
      expect(
        createWebhookSubscriptionInput.safeParse({ orgId: A, url: 'https://x.example', eventTypes })
          .success,
      ).toBe(false);
    }
  });
  it('matches event types', () => {
    expect(wantsEvent(['*'], 'ticket.created')).toBe(true);
    expect(wantsEvent(['ticket.created'], 'ticket.created')).toBe(true);
    expect(wantsEvent(['ticket.created'], 'ticket.status_changed')).toBe(false);
  });
});

describe('isPrivateAddress', () => {
  it('refuses loopback, private, link-local, unspecified and mapped forms', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not-an-ip',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
  });
  it('allows public addresses', () => {
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });
});

describe('urlProblem', () => {
  const strict = { allowHttp: false, allowPrivateTargets: false };
  it('accepts a public https URL', () => {
    expect(urlProblem('https://hooks.example.com/trellis', strict)).toBeNull();
  });
  it('refuses private hosts before anything else', () => {
    for (const url of [
      'http://127.0.0.1',
      'http://10.0.0.1',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]',
      'https://localhost:8443/x',
    ]) {
      expect(urlProblem(url, strict), url).toMatch(/private, loopback or link-local/);
    }
  });
  it('refuses http outside development, other schemes, credentials and garbage', () => {
    expect(urlProblem('http://hooks.example.com', strict)).toBe('url must use https');
    expect(urlProblem('http://hooks.example.com', { ...strict, allowHttp: true })).toBeNull();
    expect(urlProblem('ftp://hooks.example.com', strict)).toBe('url must use https');
    expect(urlProblem('https://u:p@hooks.example.com', strict)).toMatch(/credentials/);
    expect(urlProblem('hooks.example.com', strict)).toMatch(/absolute URL/);
  });
  it('lets the operator allow private targets', () => {
    expect(
      urlProblem('http://127.0.0.1:9/x', { allowHttp: true, allowPrivateTargets: true }),
    ).toBeNull();
  });
});

describe('resolveTarget', () => {
  const lookup = async (host: string) =>
    host === 'rebound.example'
      ? [
          { address: '93.184.216.34', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ]
      : [{ address: '93.184.216.34', family: 4 }];
  it('checks every address a host resolves to', async () => {
    await expect(resolveTarget('rebound.example', lookup, false)).rejects.toThrow(TargetRefused);
    await expect(resolveTarget('hooks.example', lookup, false)).resolves.toHaveLength(1);
    await expect(resolveTarget('rebound.example', lookup, true)).resolves.toHaveLength(2);
  });
  it('checks IP literals without a lookup', async () => {
    const never = async () => {
      throw new Error('no lookup');
    };
    await expect(resolveTarget('[::1]', never, false)).rejects.toThrow(TargetRefused);
    await expect(resolveTarget('8.8.8.8', never, false)).resolves.toEqual([
      { address: '8.8.8.8', family: 4 },
    ]);
  });
});

describe('retries', () => {
  const schedule = parseSchedule('1s,2s,4s') ?? [];
  it('parses schedules', () => {
    expect(schedule).toEqual([1000, 2000, 4000]);
    expect(parseSchedule('5s,5m,30m,2h,5h,10h,10h')).toHaveLength(7);
    expect(parseSchedule('5x')).toBeNull();
    expect(parseSchedule('')).toBeNull();
  });
  it('jitters each delay within its window, so delays grow', () => {
    expect(retryDelay(1, schedule, () => 0)).toBe(0);
    expect(retryDelay(1, schedule, () => 1)).toBe(1000);
    expect(retryDelay(2, schedule, () => 0)).toBe(1000);
    expect(retryDelay(3, schedule, () => 0.5)).toBe(3000);
    expect(retryDelay(4, schedule)).toBeNull();
  });
  it('decides an attempt’s outcome', () => {
    expect(attemptOutcome({ status: 204 }, 1, schedule)).toEqual({ status: 'DELIVERED' });
    expect(attemptOutcome({ status: 500 }, 1, schedule, () => 1)).toEqual({
      status: 'FAILED',
      retryInMs: 1000,
    });
    expect(attemptOutcome({ error: 'timeout' }, 3, schedule, () => 1)).toEqual({
      status: 'FAILED',
      retryInMs: 4000,
    });
    expect(attemptOutcome({ status: 500 }, 4, schedule)).toEqual({ status: 'DEAD' });
    expect(attemptOutcome({ status: 410 }, 1, schedule)).toEqual({
      status: 'DEAD',
      disable: 'GONE',
    });
  });
  it('disables after 410 or too many dead deliveries', () => {
    expect(disableReason({ status: 'DEAD', disable: 'GONE' }, 1, 5)).toMatch(/410/);
    expect(disableReason({ status: 'DEAD' }, 4, 5)).toBeNull();
    expect(disableReason({ status: 'DEAD' }, 5, 5)).toMatch(/5 deliveries/);
    expect(disableReason({ status: 'DELIVERED' }, 9, 5)).toBeNull();
  });
});

describe('secrets', () => {
  it('makes whsec_ secrets of 32 random bytes', () => {
    const s = newSigningSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newSigningSecret()).not.toBe(s);
  });
  it('encrypts at rest and decrypts with the same key only', () => {
    const key = 'k'.repeat(32);
    const stored = encryptSecret('whsec_abc', key);
    expect(stored).not.toContain('abc');
    expect(encryptSecret('whsec_abc', key)).not.toBe(stored);
    expect(decryptSecret(stored, key)).toBe('whsec_abc');
    expect(() => decryptSecret(stored, 'j'.repeat(32))).toThrow(/cannot be decrypted/);
    expect(() => decryptSecret('whsec_plain', key)).toThrow(/known scheme/);
  });
  it('signs with the previous secret during the overlap only', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const s = {
      secret: 'new',
      previousSecret: 'old',
      previousSecretUntil: new Date('2026-11-28T00:00:00Z'),
    };
    expect(signingSecrets(s, now)).toEqual(['new', 'old']);
    expect(signingSecrets(s, new Date('2026-11-28T00:00:01Z'))).toEqual(['new']);
  });
});
