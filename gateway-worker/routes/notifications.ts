import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { newNotificationId } from '../../contract/ids.js';
import {
  MAX_NOTIFICATIONS,
  NotificationCreated,
  NotificationList,
  NotificationRequest,
  NotificationView,
} from '../../contract/notifications.js';
import { storeFor } from '../../storage/index.js';
import type { NotificationTarget } from '../../storage/store.js';
import type { AppEnv } from '../app-env.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { tenantOf } from '../principal.js';

const IdParam = z.object({ notification_id: z.string().min(1).max(100) });

const createNotificationRoute = createRoute({
  method: 'post',
  path: '/notifications',
  tags: ['notifications'],
  summary: 'Announce new drift at or above a severity to a signed webhook or a Slack incoming webhook',
  security: bearerSecurity,
  request: jsonBody(NotificationRequest),
  responses: {
    201: json(NotificationCreated, 'The target was added; a generated secret is shown this once'),
    ...errorResponses,
    422: json(ErrorBody, `There are ${MAX_NOTIFICATIONS} targets already`),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/notifications',
  tags: ['notifications'],
  summary: 'Every notification target, oldest first, without secrets',
  security: bearerSecurity,
  responses: { 200: json(NotificationList, 'The targets'), ...errorResponses },
});

const getRoute = createRoute({
  method: 'get',
  path: '/notifications/{notification_id}',
  tags: ['notifications'],
  summary: 'One notification target, without its secret',
  security: bearerSecurity,
  request: { params: IdParam },
  responses: { 200: json(NotificationView, 'The target'), ...errorResponses, 404: json(ErrorBody, 'No such target') },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/notifications/{notification_id}',
  tags: ['notifications'],
  summary: 'Delete a notification target; messages already queued for it are dropped',
  security: bearerSecurity,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses, 404: json(ErrorBody, 'No such target') },
});

/** 32 random bytes as hex: the HMAC key of a webhook registered without one. */
function generatedSecret(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The URL as listings show it: a query string may carry a token and a Slack incoming webhook's
 * last path segment is its secret, so neither is shown.
 */
function shownUrl(target: NotificationTarget): string {
  const url = new URL(target.url);
  const path = target.type === 'slack' ? url.pathname.replace(/[^/]+$/, '…') : url.pathname;
  return `${url.protocol}//${url.host}${path}${url.search ? '?…' : ''}`;
}

function viewOf(target: NotificationTarget): NotificationView {
  return {
    notification_id: target.notification_id,
    type: target.type,
    url: shownUrl(target),
    min_severity: target.min_severity,
    signed: target.secret !== null,
    created_at: target.created_at,
  };
}

const notFound = (id: string) => new ApiError(404, ErrorCode.notFound, `notification ${id} not found`);

/** The caller's tenant's target of that id; another tenant's is not found either. */
async function ownTarget(c: Context<AppEnv>, id: string): Promise<NotificationTarget> {
  const target = await storeFor(c.env).getNotification(id);
  if (!target || target.tenant_id !== tenantOf(c.get('principal'))) throw notFound(id);
  return target;
}

export const notificationRoutes = createRouter()
  .openapi(createNotificationRoute, async (c) => {
    const request = c.req.valid('json');
    const store = storeFor(c.env);
    const tenant = tenantOf(c.get('principal'));
    if ((await store.listNotifications(tenant)).length >= MAX_NOTIFICATIONS) {
      throw new ApiError(422, ErrorCode.unprocessable, `at most ${MAX_NOTIFICATIONS} notification targets may exist`);
    }
    const generated = request.type === 'webhook' && request.secret === undefined ? generatedSecret() : undefined;
    const target: NotificationTarget = {
      notification_id: newNotificationId(),
      type: request.type,
      url: request.url,
      min_severity: request.min_severity,
      secret: request.secret ?? generated ?? null,
      created_at: new Date().toISOString(),
      tenant_id: tenant,
    };
    await store.createNotification(target);
    return c.json({ notification_id: target.notification_id, ...(generated ? { secret: generated } : {}) }, 201);
  })
  .openapi(listRoute, async (c) =>
    c.json({ notifications: (await storeFor(c.env).listNotifications(tenantOf(c.get('principal')))).map(viewOf) }, 200),
  )
  .openapi(getRoute, async (c) => {
    const { notification_id } = c.req.valid('param');
    return c.json(viewOf(await ownTarget(c, notification_id)), 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { notification_id } = c.req.valid('param');
    await ownTarget(c, notification_id);
    if (!(await storeFor(c.env).deleteNotification(notification_id))) throw notFound(notification_id);
    return c.body(null, 204);
  });
