import { isDeepStrictEqual } from 'node:util';
import { idOf } from '@trellis/kit';
import { z } from 'zod';

/**
 * An offering's terms: a JSON object (validated JSONB). The keys every consumer understands
 * are typed; any other key is kept as given.
 */
export const offeringTerms = z.looseObject({
  leadTimeDays: z.number().int().min(0).max(365).optional(),
  minOrderQuantity: z.number().int().min(1).max(1_000_000).optional(),
  warrantyMonths: z.number().int().min(0).max(240).optional(),
  incoterm: z
    .enum(['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF'])
    .optional(),
  notes: z.string().max(2000).optional(),
});
export type OfferingTerms = z.infer<typeof offeringTerms>;

const name = z.string().trim().min(1, 'name must not be empty').max(200);
const description = z.string().max(5000);

export const createOfferingInput = z.object({
  sellerOrgId: idOf('an organization'),
  skuId: idOf('a SKU'),
  name,
  description: description.nullish(),
  terms: offeringTerms.nullish(),
  idempotencyKey: z.string().min(1).max(200).nullish(),
});

export const updateOfferingDraftInput = z.object({
  name: name.nullish(),
  description: description.nullish(),
  terms: offeringTerms.nullish(),
  idempotencyKey: z.string().min(1).max(200).nullish(),
});

export interface OfferingContent {
  name: string;
  description: string | null;
  terms: unknown;
}

/** The draft after an update: fields not given stay; `description: null` clears it. */
export function applyDraftUpdate(
  draft: OfferingContent,
  update: { name?: string | null; description?: string | null; terms?: unknown },
  given: { description: boolean },
): OfferingContent {
  return {
    name: update.name ?? draft.name,
    description: given.description ? (update.description ?? null) : draft.description,
    terms: update.terms ?? draft.terms,
  };
}

/** Whether publishing this draft would repeat the latest version. */
export function sameContent(a: OfferingContent, b: OfferingContent | null): boolean {
  return (
    b !== null &&
    a.name === b.name &&
    (a.description ?? null) === (b.description ?? null) &&
    isDeepStrictEqual(a.terms ?? {}, b.terms ?? {})
  );
}

/** Why this organization cannot sell, or null. */
export function sellerProblem(org: { status: string } | null): string | null {
  if (!org) return 'no such organization';
  if (org.status !== 'ACTIVE') return 'the seller is not active';
  return null;
}
