import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { newStateSourceId } from '../../contract/ids.js';
import {
  MAX_STATE_SOURCES,
  StateSourceCreated,
  StateSourceList,
  StateSourceRequest,
  StateSourceView,
} from '../../contract/state-sources.js';
import { parseCron } from '../../orchestrator-do/cron.js';
import { agentDispatcher } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import type { StoredStateSource } from '../../storage/state-sources.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { tenantOf } from '../principal.js';

export const SourceIdParam = z.object({ source_id: z.string().min(1).max(100) });

const createSourceRoute = createRoute({
  method: 'post',
  path: '/state-sources',
  tags: ['states'],
  summary: 'Register a Terraform state backend for the agents of an account to read',
  description:
    'Types and locations: `s3` `s3://bucket[/prefix][?region=…&workspace_key_prefix=env:]` (every `*.tfstate` under the prefix, ' +
    'workspaces at `<workspace_key_prefix>/<workspace>/<key>`); `gcs` `gs://bucket[/prefix]` (`<prefix>/<workspace>.tfstate`); ' +
    '`azurerm` `azurerm://storage-account/container[/key]` (workspaces at `<key>env:<workspace>`); `remote` the Terraform Cloud or ' +
    'Enterprise workspace page `https://app.terraform.io/app/<org>/workspaces/<name>`; `http` the backend address. ' +
    'The agents of `provider`/`account` read it with the credentials they hold: first at once, then by `schedule` ' +
    '(five-field UTC cron). Each state is stored as the state of its workspace named by its address; one with the stored ' +
    "state's lineage and serial is skipped, another lineage or an older serial is refused unless `replace_other_lineage`.",
  security: bearerSecurity,
  request: jsonBody(StateSourceRequest),
  responses: {
    201: json(StateSourceCreated, 'Registered; a first read is due at once'),
    ...errorResponses,
    422: json(ErrorBody, `There are ${MAX_STATE_SOURCES} state sources already`),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/state-sources',
  tags: ['states'],
  summary: 'Every state source, oldest first, with how its last read went',
  security: bearerSecurity,
  responses: { 200: json(StateSourceList, 'The state sources'), ...errorResponses },
});

const getRoute = createRoute({
  method: 'get',
  path: '/state-sources/{source_id}',
  tags: ['states'],
  summary: 'One state source',
  security: bearerSecurity,
  request: { params: SourceIdParam },
  responses: {
    200: json(StateSourceView, 'The state source'),
    ...errorResponses,
    404: json(ErrorBody, 'No such source'),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/state-sources/{source_id}',
  tags: ['states'],
  summary: 'Stop reading a state source; the states it stored stay until replaced',
  security: bearerSecurity,
  request: { params: SourceIdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses, 404: json(ErrorBody, 'No such source') },
});

const readNowRoute = createRoute({
  method: 'post',
  path: '/state-sources/{source_id}/read',
  tags: ['states'],
  summary: 'Have the agents of its account read a state source now',
  security: bearerSecurity,
  request: { params: SourceIdParam },
  responses: {
    202: json(StateSourceCreated, 'A read is due'),
    ...errorResponses,
    404: json(ErrorBody, 'No such source'),
  },
});

export function sourceView(s: StoredStateSource, now = Date.now()): StateSourceView {
  return {
    source_id: s.source_id,
    type: s.type,
    location: s.location,
    provider: s.provider,
    account: s.account,
    schedule: s.schedule,
    replace_other_lineage: s.replace_other_lineage,
    created_at: s.created_at,
    next_read_at: s.next_read_at,
    reading: s.lease_expires_at !== null && Date.parse(s.lease_expires_at) > now,
    last_read: s.last_read,
  };
}

export const sourceNotFound = (id: string) => new ApiError(404, ErrorCode.notFound, `state source ${id} not found`);

/**
 * Tells the source's tenant's dispatcher of its account to look for due reads again, so a waiting
 * agent sees the change at once.
 */
export async function announceSourceChange(
  env: Env,
  source: Pick<StoredStateSource, 'provider' | 'account' | 'tenant_id'>,
) {
  await agentDispatcher(env, source.provider, source.account, source.tenant_id).stateSourcesChanged();
}

export const stateSourceRoutes = createRouter()
  .openapi(createSourceRoute, async (c) => {
    const req = c.req.valid('json');
    if (req.schedule !== undefined) {
      const parsed = parseCron(req.schedule);
      if (!parsed.ok) throw new ApiError(400, ErrorCode.badRequest, `schedule: ${parsed.message}`);
    }
    const store = storeFor(c.env);
    const tenant = tenantOf(c.get('principal'));
    if ((await store.listStateSources(tenant)).length >= MAX_STATE_SOURCES) {
      throw new ApiError(
        422,
        ErrorCode.unprocessable,
        `at most ${MAX_STATE_SOURCES} state sources of a tenant may exist`,
      );
    }
    const now = new Date().toISOString();
    const source = {
      source_id: newStateSourceId(),
      tenant_id: tenant,
      type: req.type,
      location: req.location,
      provider: req.provider,
      account: req.account,
      schedule: req.schedule ?? null,
      replace_other_lineage: req.replace_other_lineage,
      created_at: now,
      next_read_at: now,
    };
    await store.createStateSource(source);
    await announceSourceChange(c.env, source);
    return c.json({ source_id: source.source_id, next_read_at: source.next_read_at }, 201);
  })
  .openapi(listRoute, async (c) =>
    c.json(
      {
        state_sources: (await storeFor(c.env).listStateSources(tenantOf(c.get('principal')))).map((s) => sourceView(s)),
      },
      200,
    ),
  )
  .openapi(getRoute, async (c) => {
    const { source_id } = c.req.valid('param');
    const source = await storeFor(c.env).getStateSource(source_id, tenantOf(c.get('principal')));
    if (!source) throw sourceNotFound(source_id);
    return c.json(sourceView(source), 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { source_id } = c.req.valid('param');
    const store = storeFor(c.env);
    const source = await store.getStateSource(source_id, tenantOf(c.get('principal')));
    if (!source || !(await store.deleteStateSource(source_id))) throw sourceNotFound(source_id);
    await announceSourceChange(c.env, source);
    return c.body(null, 204);
  })
  .openapi(readNowRoute, async (c) => {
    const { source_id } = c.req.valid('param');
    const store = storeFor(c.env);
    const own = await store.getStateSource(source_id, tenantOf(c.get('principal')));
    if (!own || !(await store.requestStateRead(source_id, new Date().toISOString()))) throw sourceNotFound(source_id);
    const source = (await store.getStateSource(source_id))!;
    await announceSourceChange(c.env, source);
    return c.json({ source_id, next_read_at: source.next_read_at }, 202);
  });
