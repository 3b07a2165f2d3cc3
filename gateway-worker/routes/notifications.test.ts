import { describe, expect, it } from 'vitest';
import { MAX_NOTIFICATIONS } from '../../contract/notifications.js';
import { api } from '../../test/support/worker/api.js';

const webhook = { type: 'webhook', url: 'https://hooks.example.com/drift', min_severity: 'high' };
const SECRET = 'a-receiver-secret-of-32-characters';

const listed = async () =>
  (await api('GET', '/api/v1/notifications')).body.notifications as Array<Record<string, unknown>>;

describe('notifications API', () => {
  it('creates a target, shows it without its secret, and deletes it', async () => {
    const created = await api('POST', '/api/v1/notifications', { ...webhook, secret: SECRET });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ notification_id: expect.stringMatching(/^ntf_[0-9a-z]+$/) });
    const id = created.body.notification_id as string;

    const view = {
      notification_id: id,
      type: 'webhook',
      url: 'https://hooks.example.com/drift',
      min_severity: 'high',
      signed: true,
      created_at: expect.any(String),
    };
    const one = await api('GET', `/api/v1/notifications/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(view);
    expect(await listed()).toContainEqual(view);
    for (const body of [one.body, await listed()]) expect(JSON.stringify(body)).not.toContain(SECRET);

    expect((await api('DELETE', `/api/v1/notifications/${id}`)).status).toBe(204);
    expect((await listed()).map((n) => n.notification_id)).not.toContain(id);
    for (const [method, path] of [
      ['GET', `/api/v1/notifications/${id}`],
      ['DELETE', `/api/v1/notifications/${id}`],
    ] as const) {
      const gone = await api(method, path);
      expect(gone.status).toBe(404);
      expect(gone.body.error).toEqual({ code: 'not_found', message: `notification ${id} not found` });
    }
  });

  it('generates a secret for a webhook registered without one and shows it only in the answer', async () => {
    const created = await api('POST', '/api/v1/notifications', webhook);
    expect(created.status).toBe(201);
    const { notification_id, secret } = created.body;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const one = await api('GET', `/api/v1/notifications/${notification_id}`);
    expect(one.body.signed).toBe(true);
    expect(JSON.stringify(one.body)).not.toContain(secret);
    expect(JSON.stringify(await listed())).not.toContain(secret);
  });

  it("hides a Slack webhook's secret path segment and any query string in listings", async () => {
    const slack = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX';
    const created = await api('POST', '/api/v1/notifications', { type: 'slack', url: slack, min_severity: 'low' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBeUndefined();
    const one = await api('GET', `/api/v1/notifications/${created.body.notification_id}`);
    expect(one.body).toMatchObject({ url: 'https://hooks.slack.com/services/T000/B000/…', signed: false });

    const withToken = await api('POST', '/api/v1/notifications', {
      ...webhook,
      url: 'https://hooks.example.com/in?token=hunter2',
    });
    const shown = await api('GET', `/api/v1/notifications/${withToken.body.notification_id}`);
    expect(shown.body.url).toBe('https://hooks.example.com/in?…');
  });

  it('refuses a bad type, URL, severity or secret with 400 naming the field, and keeps nothing', async () => {
    const count = (await listed()).length;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...webhook, type: 'email' }, /^type: /],
      [{ ...webhook, type: undefined }, /^type: /],
      [{ ...webhook, url: 'not a url' }, /^url: must be an http\(s\) URL$/],
      [{ ...webhook, url: 'ftp://hooks.example.com/x' }, /^url: must be an http\(s\) URL$/],
      [
        { ...webhook, url: 'http://hooks.example.com/x' },
        /^url: must be https: plain http is refused except to this machine .* got host hooks\.example\.com$/,
      ],
      [{ ...webhook, min_severity: 'urgent' }, /^min_severity: /],
      [{ ...webhook, min_severity: undefined }, /^min_severity: /],
      [{ ...webhook, secret: 'short' }, /^secret: /],
      [{ type: 'slack', url: 'https://hooks.slack.com/services/x', min_severity: 'low', secret: SECRET }, /^secret: /],
    ];
    for (const [body, message] of cases) {
      const res = await api('POST', '/api/v1/notifications', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await api('POST', '/api/v1/notifications', 'not json')).status).toBe(400);
    expect((await listed()).length).toBe(count);
  });

  it('accepts plain http only to this machine', async () => {
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://[::1]:9/hook']) {
      const res = await api('POST', '/api/v1/notifications', { ...webhook, url });
      expect(res.status, url).toBe(201);
      expect((await api('DELETE', `/api/v1/notifications/${res.body.notification_id}`)).status).toBe(204);
    }
  });

  it(`keeps at most ${MAX_NOTIFICATIONS} targets (422 beyond)`, async () => {
    for (let n = (await listed()).length; n < MAX_NOTIFICATIONS; n++) {
      expect((await api('POST', '/api/v1/notifications', webhook)).status).toBe(201);
    }
    const over = await api('POST', '/api/v1/notifications', webhook);
    expect(over.status).toBe(422);
    expect(over.body.error.message).toBe(`at most ${MAX_NOTIFICATIONS} notification targets may exist`);
  });

  it('is in the OpenAPI document', async () => {
    const { paths } = (await api('GET', '/api/v1/openapi.json', undefined, null)).body;
    expect(Object.keys(paths['/api/v1/notifications'])).toEqual(['post', 'get']);
    expect(Object.keys(paths['/api/v1/notifications/{notification_id}'])).toEqual(['get', 'delete']);
    expect(paths['/api/v1/notifications'].post.requestBody.content['application/json'].schema.required).toEqual([
      'type',
      'url',
      'min_severity',
    ]);
  });
});
