import { describe, expect, it } from 'vitest';
import { callerOf } from '../testing.js';
import { canSeeWebhookSubscription, webhookDeliveriesArgs, webhookListScope } from './rules.js';

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
