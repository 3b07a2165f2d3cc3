import { z } from 'zod';
import { DriftKind, Severity } from './drift.js';
import { Provider } from './resource.js';
import { insecureUrlReason } from './urls.js';

/** Notification targets one deployment may keep: each analysis with new drift sends one message per target. */
export const MAX_NOTIFICATIONS = 100;
/** Most drift items one notification lists; the rest are counted. */
export const MAX_NOTIFIED_ITEMS = 20;

/** The severities a target with this threshold hears of, most severe first. */
export function severitiesAtOrAbove(min: Severity): Severity[] {
  return Severity.options.slice(0, Severity.options.indexOf(min) + 1);
}

/** `webhook`: signed JSON to any receiver; `slack`: Block Kit to a Slack incoming webhook. */
export const NotificationType = z.enum(['webhook', 'slack']);
export type NotificationType = z.infer<typeof NotificationType>;

const TargetUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL', abort: true })
  .max(2000)
  .check((ctx) => {
    const reason = insecureUrlReason(ctx.value);
    if (reason) ctx.issues.push({ code: 'custom', message: reason, input: ctx.value });
  });

/**
 * `POST /api/v1/notifications`. A webhook without a secret gets a generated one, returned once
 * in the answer; Slack incoming webhooks verify nothing, so a secret for one is refused.
 */
export const NotificationRequest = z
  .object({
    type: NotificationType,
    url: TargetUrl,
    /** Only new drift at or above this severity is sent. */
    min_severity: Severity,
    secret: z.string().min(16).max(256).optional(),
  })
  .refine((r) => r.type === 'webhook' || r.secret === undefined, {
    path: ['secret'],
    message: 'only webhook targets are signed; a slack target takes no secret',
  });
export type NotificationRequest = z.infer<typeof NotificationRequest>;

export const NotificationCreated = z.object({
  notification_id: z.string(),
  /** The signing secret, present only when it was generated for this answer; it is never shown again. */
  secret: z.string().optional(),
});
export type NotificationCreated = z.infer<typeof NotificationCreated>;

/** A target as the API shows it: never its secret. */
export const NotificationView = z.object({
  notification_id: z.string(),
  type: NotificationType,
  url: z.string(),
  min_severity: Severity,
  /** Whether deliveries are signed (X-DriftMgr-Signature). */
  signed: z.boolean(),
  created_at: z.string(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationList = z.object({ notifications: z.array(NotificationView) });

/** One drift item as a notification lists it. */
export const NotifiedItem = z.object({
  address: z.string(),
  kind: DriftKind,
  severity: Severity,
  score: z.number(),
  cloud_type: z.string(),
  id: z.string(),
  account: z.string().optional(),
  region: z.string().optional(),
});
export type NotifiedItem = z.infer<typeof NotifiedItem>;

/**
 * The JSON body of a webhook delivery. The same delivery sent again (a retry) has the same body
 * and `delivery_id` (also in the X-DriftMgr-Delivery header), so receivers can drop repeats.
 */
export const WebhookPayload = z.object({
  event: z.literal('drift.new'),
  delivery_id: z.string(),
  job_id: z.string(),
  provider: Provider,
  min_severity: Severity,
  summary: z.object({
    /** New drift items at or above min_severity. */
    new: z.number().int(),
    /** The same, per severity (those below min_severity absent). */
    by_severity: z.partialRecord(Severity, z.number().int()),
  }),
  /** The riskiest of them, highest score first, at most MAX_NOTIFIED_ITEMS. */
  items: z.array(NotifiedItem).max(MAX_NOTIFIED_ITEMS),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;
