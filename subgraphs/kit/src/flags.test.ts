import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  FLAG_KEYS,
  FLAG_REUSE_MS,
  Flags,
  loadFlagSettings,
  SettingsFlagProvider,
} from './flags.js';

describe('feature flags', () => {
  it('are all off by default', async () => {
    const flags = Flags.fromSettings(loadFlagSettings({}));
    for (const key of FLAG_KEYS) expect(await flags.isEnabled(key)).toBe(false);
    await expect(flags.require('ENABLE_ORG')).rejects.toMatchObject({
      extensions: { code: 'FEATURE_DISABLED', flag: 'ENABLE_ORG' },
    });
  });

  it('layer the environment file under ENABLE_* variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flags-'));
    const file = join(dir, 'staging.json');
    writeFileSync(file, JSON.stringify({ ENABLE_ORG: true, ENABLE_CHANNELS: true }));
    const settings = loadFlagSettings({
      FLAGS_FILE: file,
      ENABLE_CHANNELS: 'false',
      ENABLE_PRICE_BOOKS: 'on',
    });
    const flags = Flags.fromSettings(settings);
    expect(await flags.isEnabled('ENABLE_ORG')).toBe(true);
    expect(await flags.isEnabled('ENABLE_CHANNELS')).toBe(false);
    expect(await flags.isEnabled('ENABLE_PRICE_BOOKS')).toBe(true);
  });

  it('evaluate tenant overrides by organization', async () => {
    const flags = Flags.fromSettings({
      ENABLE_RESP_ORG_ASSIGNMENT: { enabled: false, tenants: { 'org-a': true } },
    });
    expect(await flags.isEnabled('ENABLE_RESP_ORG_ASSIGNMENT', 'org-a')).toBe(true);
    expect(await flags.isEnabled('ENABLE_RESP_ORG_ASSIGNMENT', 'org-b')).toBe(false);
    expect(await flags.isEnabled('ENABLE_RESP_ORG_ASSIGNMENT')).toBe(false);
  });

  it('refuse a flag file with unknown keys or wrong values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flags-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ENABLE_ORG: 'yes' }));
    expect(() => loadFlagSettings({ FLAGS_FILE: file })).toThrow(/bad.json/);
  });

  it('ship committed profiles: production all off, demo all on', async () => {
    const production = Flags.fromSettings(loadFlagSettings({ FLAGS_PROFILE: 'production' }));
    const demo = Flags.fromSettings(loadFlagSettings({ FLAGS_PROFILE: 'demo' }));
    expect((await production.all()).filter((f) => f.enabled)).toEqual([]);
    expect((await demo.all()).every((f) => f.enabled)).toBe(true);
  });

  it('reuse an evaluation across requests until the provider reports a change', async () => {
    const provider = new SettingsFlagProvider({ ENABLE_ORG: true });
    const flags = new Flags(provider);
    const asked = vi.spyOn(provider, 'resolveBooleanEvaluation');
    const first = flags.forRequest();
    expect(await first.isEnabled('ENABLE_ORG', 'org-a')).toBe(true);
    expect(asked).toHaveBeenCalledTimes(1);
    // the next request decides at once, without asking the provider
    const second = flags.forRequest();
    const decision = second.isEnabled('ENABLE_ORG', 'org-a');
    expect(second.decided('ENABLE_ORG', 'org-a')).toBe(true);
    expect(await decision).toBe(true);
    expect(asked).toHaveBeenCalledTimes(1);
    // another tenant is another evaluation
    expect(await flags.forRequest().isEnabled('ENABLE_ORG', 'org-b')).toBe(true);
    expect(asked).toHaveBeenCalledTimes(2);
    // a change is heard at once (the next request asks again); a request that decided keeps it
    provider.update({ ENABLE_ORG: { enabled: true, tenants: { 'org-a': false } } });
    expect(await flags.forRequest().isEnabled('ENABLE_ORG', 'org-a')).toBe(false);
    expect(await second.isEnabled('ENABLE_ORG', 'org-a')).toBe(true);
  });

  it('keep no evaluation that a change overtook while it was in flight', async () => {
    // a provider that answers what it read when asked, once released
    let asked!: () => void;
    const askedNow = new Promise<void>((resolve) => {
      asked = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const provider = new SettingsFlagProvider({ ENABLE_ORG: true });
    const resolve = provider.resolveBooleanEvaluation.bind(provider);
    let held = true;
    vi.spyOn(provider, 'resolveBooleanEvaluation').mockImplementation(async (...args) => {
      const answer = await resolve(...args);
      if (held) {
        held = false;
        asked();
        await released;
      }
      return answer;
    });
    const flags = new Flags(provider);
    const inFlight = flags.forRequest().isEnabled('ENABLE_ORG');
    await askedNow;
    provider.update({ ENABLE_ORG: false });
    release();
    expect(await inFlight).toBe(true); // read before the change
    expect(await flags.forRequest().isEnabled('ENABLE_ORG')).toBe(false);
  });

  it('reuse an evaluation for a second at most', async () => {
    vi.useFakeTimers();
    try {
      const provider = new SettingsFlagProvider({ ENABLE_ORG: true });
      const flags = new Flags(provider);
      const asked = vi.spyOn(provider, 'resolveBooleanEvaluation');
      await flags.forRequest().isEnabled('ENABLE_ORG');
      vi.advanceTimersByTime(FLAG_REUSE_MS + 1);
      await flags.forRequest().isEnabled('ENABLE_ORG');
      expect(asked).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
