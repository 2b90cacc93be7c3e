import { isUuid, type Page, pageQuery, rowLoader } from '@trellis/kit';
import type { ServicePolicy } from '@trellis/prisma/service-policy/generated/client.ts';
import type { ServicePolicyPrisma } from '../prisma.js';

export type ServicePolicyRow = ServicePolicy;

export function policyLoaders(prisma: ServicePolicyPrisma) {
  return {
    servicePolicy: rowLoader<string, ServicePolicyRow>(
      (ids) => prisma.servicePolicy.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
      (p) => p.id,
    ),
  };
}

export async function listServicePolicies(
  prisma: ServicePolicyPrisma,
  page: Page,
  manufacturerId?: string | null,
) {
  const where = manufacturerId ? { manufacturerId } : {};
  const [rows, total] = await Promise.all([
    prisma.servicePolicy.findMany(pageQuery(page, where)),
    prisma.servicePolicy.count({ where }),
  ]);
  return { rows, total };
}
