import { z } from 'zod';

/**
 * Parses the environment once at start. Every problem is reported at once, then the process
 * exits non-zero, so an operator fixes the configuration in one go.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  console.error(`Invalid configuration:\n${lines.join('\n')}`);
  process.exit(1);
}

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);
export const booleanString = z
  .enum(['true', 'false', '1', '0', 'on', 'off'])
  .transform((v) => v === 'true' || v === '1' || v === 'on');

/** Settings every process shares. */
export const baseConfig = z.object({
  /** unset: production with DATABASE_URL, development in the embedded demo (`environmentOf`) */
  NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().optional(),
  FLAGS_PROFILE: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  FLAGS_FILE: z.string().optional(),
  /** shared by the gateway and the subgraphs to sign/verify the forwarded caller */
  GATEWAY_SIGNING_SECRET: z.string().min(32).optional(),
});

export type Environment = 'development' | 'test' | 'production';

/**
 * The environment in force: NODE_ENV when set, else production wherever a real database is
 * configured (a deployment), development in the embedded demo.
 */
export const environmentOf = (config: { NODE_ENV?: Environment; DATABASE_URL?: string }) =>
  config.NODE_ENV ?? (config.DATABASE_URL ? 'production' : 'development');
