import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Client,
  type EvaluationContext,
  OpenFeature,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import { z } from 'zod';
import { featureDisabled } from './errors.js';

export const FLAG_KEYS = [
  'ENABLE_ORG',
  'ENABLE_CHANNELS',
  'ENABLE_CATALOG_PUBLISHING',
  'ENABLE_PRICE_BOOKS',
  'ENABLE_PRICE_RESOLUTION',
  'ENABLE_SERVICE_POLICIES',
  'ENABLE_RESP_ORG_ASSIGNMENT',
  'ENABLE_ENGINEERS',
  'ENABLE_DUAL_WRITE',
  'ENABLE_READ_FROM_ORG_GRAPH',
  'ENABLE_ORG_SEED',
  'ENABLE_EVENT_DISPATCHER',
] as const;
export type FlagKey = (typeof FLAG_KEYS)[number];

const flagSetting = z.union([
  z.boolean(),
  z.object({ enabled: z.boolean(), tenants: z.record(z.string(), z.boolean()).default({}) }),
]);
const flagFile = z.partialRecord(z.enum(FLAG_KEYS), flagSetting);
export type FlagSettings = z.infer<typeof flagFile>;

/** The per-environment flag files committed with the code (their state is the record). */
export const FLAGS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'flags');

/**
 * Flag settings for an environment: all OFF, then the environment's file
 * (`FLAGS_FILE`, else `flags/<FLAGS_PROFILE>.json`), then `ENABLE_*` variables.
 */
export function loadFlagSettings(
  env: Record<string, string | undefined> = process.env,
): FlagSettings {
  const file =
    env.FLAGS_FILE ??
    (env.FLAGS_PROFILE ? join(FLAGS_DIR, `${env.FLAGS_PROFILE}.json`) : undefined);
  let settings: FlagSettings = {};
  if (file) {
    if (!existsSync(file)) throw new Error(`flag file ${file} does not exist`);
    const parsed = flagFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`flag file ${file}: ${parsed.error.message}`);
    settings = parsed.data;
  }
  for (const key of FLAG_KEYS) {
    const value = env[key];
    if (value === undefined) continue;
    const enabled = ['true', '1', 'on'].includes(value.toLowerCase());
    const current = settings[key];
    settings[key] = typeof current === 'object' ? { ...current, enabled } : enabled;
  }
  return settings;
}

/** An OpenFeature provider over in-memory settings; tenant overrides match the targeting key. */
export class SettingsFlagProvider implements Provider {
  readonly metadata = { name: 'trellis-settings' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  constructor(private settings: FlagSettings) {}

  /** New settings; clients hear of it (`ConfigurationChanged`) and forget what they decided. */
  update(settings: FlagSettings) {
    this.settings = settings;
    this.events.emit(ProviderEvents.ConfigurationChanged, { providerName: this.metadata.name });
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    const setting = this.settings[flagKey as FlagKey];
    if (setting === undefined) {
      return Promise.resolve({ value: defaultValue, reason: StandardResolutionReasons.DEFAULT });
    }
    if (typeof setting === 'boolean') {
      return Promise.resolve({ value: setting, reason: StandardResolutionReasons.STATIC });
    }
    const tenant = context.targetingKey ? setting.tenants[context.targetingKey] : undefined;
    return tenant === undefined
      ? Promise.resolve({ value: setting.enabled, reason: StandardResolutionReasons.STATIC })
      : Promise.resolve({ value: tenant, reason: StandardResolutionReasons.TARGETING_MATCH });
  }
  resolveStringEvaluation(_k: string, d: string): Promise<ResolutionDetails<string>> {
    return Promise.resolve({ value: d, reason: StandardResolutionReasons.DEFAULT });
  }
  resolveNumberEvaluation(_k: string, d: number): Promise<ResolutionDetails<number>> {
    return Promise.resolve({ value: d, reason: StandardResolutionReasons.DEFAULT });
  }
  resolveObjectEvaluation<T>(_k: string, d: T): Promise<ResolutionDetails<T>> {
    return Promise.resolve({ value: d, reason: StandardResolutionReasons.DEFAULT });
  }
}

let domains = 0;

const decisionId = (key: FlagKey, tenant: string | null | undefined) => `${key} ${tenant ?? ''}`;

/**
 * How long the process reuses a flag's evaluation for the same tenant. An OpenFeature
 * evaluation (hooks, contexts, details) costs more than the rest of a small request's flag
 * handling, and every subgraph of a request asks; a provider that reports a change
 * (`ConfigurationChanged`) is heard at once, any other change within this time.
 */
export const FLAG_REUSE_MS = 1000;

/** Feature flags through OpenFeature; every flag is OFF unless its setting says otherwise. */
export class Flags {
  private client: Client;
  /** recent evaluations of the process, by flag and tenant (shared by its request views) */
  private recent: Map<string, { enabled: boolean; until: number }> & { generation: number };
  /** a request's decisions (`forRequest`); none for the process-wide instance */
  private decisions: Map<string, Promise<boolean>> | undefined;
  /** the request's decisions once made, read without waiting (`decided`) */
  private settled: Map<string, boolean> | undefined;
  constructor(provider: Provider) {
    // a domain per instance, so several supergraphs (tests) can run in one process
    const domain = `trellis-${++domains}`;
    OpenFeature.setProvider(domain, provider);
    this.client = OpenFeature.getClient(domain);
    // a change also outdates evaluations still in flight: they are not kept (generation)
    const recent = Object.assign(new Map<string, { enabled: boolean; until: number }>(), {
      generation: 0,
    });
    this.recent = recent;
    this.client.addHandler(ProviderEvents.ConfigurationChanged, () => {
      recent.clear();
      recent.generation++;
    });
  }

  /**
   * The flags as one request sees them: each flag is evaluated once per tenant and the decision
   * holds for the whole request (a page of 100 entries asks once, and never sees a flag flip
   * halfway).
   */
  forRequest(): Flags {
    const view = Object.create(Flags.prototype) as Flags;
    view.client = this.client;
    view.recent = this.recent;
    view.decisions = new Map();
    view.settled = new Map();
    return view;
  }

  static fromSettings(settings: FlagSettings) {
    return new Flags(new SettingsFlagProvider(settings));
  }

  /** `tenant`: the organization the decision is for (tenant-scoped flags). */
  isEnabled(key: FlagKey, tenant?: string | null): Promise<boolean> {
    const id = decisionId(key, tenant);
    if (!this.decisions) return this.evaluate(id, key, tenant);
    let decision = this.decisions.get(id);
    if (!decision) {
      const recent = this.recent.get(id);
      if (recent && recent.until > Date.now()) {
        // decided at once: guards read it without waiting
        this.settled!.set(id, recent.enabled);
        decision = Promise.resolve(recent.enabled);
      } else {
        decision = this.evaluate(id, key, tenant);
        const settled = this.settled!;
        decision.then(
          (enabled) => settled.set(id, enabled),
          () => {}, // the caller awaiting `decision` hears of it
        );
      }
      this.decisions.set(id, decision);
    }
    return decision;
  }

  private async evaluate(id: string, key: FlagKey, tenant: string | null | undefined) {
    const generation = this.recent.generation;
    const { value, errorCode } = await this.client.getBooleanDetails(
      key,
      false,
      tenant ? { targetingKey: tenant } : {},
    );
    // a failed evaluation answers the default (off) and is asked again next time
    if (!errorCode && generation === this.recent.generation)
      this.recent.set(id, { enabled: value, until: Date.now() + FLAG_REUSE_MS });
    return value;
  }

  /** The request's decision for a flag if it has been made (`isEnabled` settled), else undefined. */
  decided(key: FlagKey, tenant?: string | null): boolean | undefined {
    return this.settled?.get(decisionId(key, tenant));
  }

  async require(key: FlagKey, tenant?: string | null): Promise<void> {
    if (!(await this.isEnabled(key, tenant))) throw featureDisabled(key);
  }

  async all(tenant?: string | null): Promise<{ key: FlagKey; enabled: boolean }[]> {
    return Promise.all(
      FLAG_KEYS.map(async (key) => ({ key, enabled: await this.isEnabled(key, tenant) })),
    );
  }
}
