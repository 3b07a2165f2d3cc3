import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { ScheduleCreated, ScheduleList, ScheduleRequest } from '../../contract/schedules.js';
import { scheduleKeeper } from '../../orchestrator-do/stubs.js';
import { ApiError, unwrap } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { tenantOf } from '../principal.js';

const createScheduleRoute = createRoute({
  method: 'post',
  path: '/schedules',
  tags: ['schedules'],
  summary: 'Run a discovery at every time a five-field cron expression (UTC) names',
  security: bearerSecurity,
  request: jsonBody(ScheduleRequest),
  responses: {
    201: json(ScheduleCreated, 'The schedule was created; its first run is at next_run_at'),
    ...errorResponses,
    422: json(ErrorBody, 'The discovery could never be planned, or there are too many schedules'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/schedules',
  tags: ['schedules'],
  summary: 'Every schedule with its next run and how its last runs went',
  security: bearerSecurity,
  responses: { 200: json(ScheduleList, 'The schedules, oldest first'), ...errorResponses },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/schedules/{schedule_id}',
  tags: ['schedules'],
  summary: 'Delete a schedule; a job it already started runs on',
  security: bearerSecurity,
  request: { params: z.object({ schedule_id: z.string().min(1).max(100) }) },
  responses: { 204: { description: 'Deleted' }, ...errorResponses, 404: json(ErrorBody, 'No such schedule') },
});

export const scheduleRoutes = createRouter()
  .openapi(createScheduleRoute, async (c) => {
    const created = unwrap(await scheduleKeeper(c.env).add(c.req.valid('json'), tenantOf(c.get('principal'))));
    return c.json(created, 201);
  })
  .openapi(listRoute, async (c) =>
    c.json({ schedules: await scheduleKeeper(c.env).list(tenantOf(c.get('principal'))) }, 200),
  )
  .openapi(deleteRoute, async (c) => {
    const { schedule_id } = c.req.valid('param');
    if (!(await scheduleKeeper(c.env).remove(schedule_id, tenantOf(c.get('principal'))))) {
      throw new ApiError(404, ErrorCode.notFound, `schedule ${schedule_id} not found`);
    }
    return c.body(null, 204);
  });
