import { createRoute, z } from '@hono/zod-openapi';
import { Provider } from '../../contract/resource.js';
import {
  CoverageLevel,
  RESOURCE_TYPES,
  type ResourceTypeEntry,
  ResourceTypesResponse,
} from '../../contract/resource-types.js';
import { MAPPINGS } from '../../engine/index.js';
import { bearerSecurity, createRouter, errorResponses, json } from '../openapi.js';

/** Every catalog type with the Terraform types mapped onto it, worked out once per isolate. */
function catalog(): ResourceTypesResponse {
  const terraformTypes = new Map<string, string[]>();
  for (const m of MAPPINGS) {
    const key = `${m.provider}|${m.cloudType}`;
    terraformTypes.set(key, [...(terraformTypes.get(key) ?? []), m.tfType]);
  }
  const resource_types = RESOURCE_TYPES.map(
    (t): ResourceTypeEntry => ({
      provider: t.provider,
      cloud_type: t.type,
      terraform_types: terraformTypes.get(`${t.provider}|${t.type}`) ?? [],
      level: t.level,
      listing: t.listing,
      ...(t.inventory ? { inventory: t.inventory } : {}),
    }),
  );
  const counts = Object.fromEntries(
    Provider.options.map((provider) => [
      provider,
      Object.fromEntries(
        CoverageLevel.options.map((level) => {
          const entries = resource_types.filter((e) => e.provider === provider && e.level === level);
          const tf = entries.reduce((n, e) => n + e.terraform_types.length, 0);
          return [level, { cloud_types: entries.length, terraform_types: tf }];
        }),
      ),
    ]),
  ) as ResourceTypesResponse['counts'];
  return { resource_types, counts };
}

let cached: ResourceTypesResponse | undefined;

const resourceTypesRoute = createRoute({
  method: 'get',
  path: '/resource-types',
  tags: ['discovery'],
  summary: 'Every resource type DriftMgr discovers: cloud type, Terraform types and coverage level',
  security: bearerSecurity,
  request: {
    query: z.object({
      provider: Provider.optional(),
      level: CoverageLevel.optional(),
    }),
  },
  responses: {
    200: json(ResourceTypesResponse, 'The catalog (filtered), and counts per provider and level over all of it'),
    ...errorResponses,
  },
});

export const resourceTypeRoutes = createRouter().openapi(resourceTypesRoute, (c) => {
  const { provider, level } = c.req.valid('query');
  cached ??= catalog();
  const resource_types = cached.resource_types.filter(
    (e) => (!provider || e.provider === provider) && (!level || e.level === level),
  );
  return c.json({ resource_types, counts: cached.counts }, 200);
});
