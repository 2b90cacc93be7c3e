import type { z } from 'zod';
import { badInput } from './errors.js';

/** Validates a mutation input; the first problem becomes BAD_USER_INPUT naming its field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = 'input',
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [prefix, ...issue.path].filter((p) => p !== '').join('.');
  throw badInput(field, `${field}: ${issue.message}`);
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
/** ISO 4217 codes known to the runtime's ICU data. */
export const isCurrency = (code: string) => CURRENCIES.has(code);

/** A region code such as "DE", "US-CA" or "EU-WEST". */
export const REGION_CODE = /^[A-Z]{2}(-[A-Z0-9]{1,8})?$/;
