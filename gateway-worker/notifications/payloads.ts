import { Severity } from '../../contract/drift.js';
import type { NotifiedItem, WebhookPayload } from '../../contract/notifications.js';
import type { NotificationMessage } from '../../contract/queue.js';
import type { DriftItem } from '../../engine/index.js';
import type { NewDriftDigest, NotificationTarget } from '../../storage/store.js';

/** The id every attempt of one (job, target) delivery carries, so receivers can drop repeats. */
export function deliveryIdOf(message: NotificationMessage): string {
  return `${message.job_id}.${message.notification_id}`;
}

function notified(item: DriftItem): NotifiedItem {
  const { address, kind, severity, score, cloud_type, id, account, region } = item;
  return {
    address,
    kind,
    severity,
    score,
    cloud_type,
    id,
    ...(account === undefined ? {} : { account }),
    ...(region === undefined ? {} : { region }),
  };
}

/** What a webhook receives: the job's new drift at or above the target's severity, riskiest items first. */
export function webhookPayload(
  message: NotificationMessage,
  target: NotificationTarget,
  digest: NewDriftDigest,
): WebhookPayload {
  // Most severe first, whatever order the database counted in.
  const bySeverity = Object.fromEntries(
    Severity.options.flatMap((s) => (digest.by_severity[s] ? [[s, digest.by_severity[s]]] : [])),
  );
  return {
    event: 'drift.new',
    delivery_id: deliveryIdOf(message),
    job_id: message.job_id,
    provider: message.provider,
    min_severity: target.min_severity,
    summary: { new: Object.values(bySeverity).reduce((a, n) => a + n, 0), by_severity: bySeverity },
    items: digest.top.map(notified),
  };
}

/** Slack renders section text up to 3,000 characters and header text up to 150. */
const SLACK_SECTION_CHARS = 3000;

/** Text Slack's mrkdwn shows as written: its control characters escaped, backticks kept out of code spans. */
function mrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('`', "'");
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function itemLine(i: NotifiedItem): string {
  const where = [i.account, i.region].filter(Boolean).join(' ');
  return `• *${i.severity}* ${i.kind} \`${mrkdwn(i.address)}\` (score ${i.score})${where ? ` ${mrkdwn(where)}` : ''}`;
}

/** As many item lines as fit one section, then how many more there are. */
function itemList(p: WebhookPayload): string {
  const lines: string[] = [];
  let length = 0;
  for (const [n, item] of p.items.entries()) {
    const line = itemLine(item);
    // Room for this line and the closing "…and N more" line.
    if (length + line.length + 40 > SLACK_SECTION_CHARS) {
      lines.push(`…and ${p.summary.new - n} more`);
      return lines.join('\n');
    }
    lines.push(line);
    length += line.length + 1;
  }
  if (p.summary.new > p.items.length) lines.push(`…and ${p.summary.new - p.items.length} more`);
  return lines.join('\n');
}

/** The same news as Slack Block Kit: a header, the counts, the riskiest items, and the job in a context line. */
export function slackMessage(p: WebhookPayload) {
  const title = `DriftMgr: ${plural(p.summary.new, 'new drift item')} on ${p.provider}`;
  const counts = Object.entries(p.summary.by_severity)
    .map(([severity, n]) => `*${severity}* ${n}`)
    .join('   ');
  return {
    text: title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title, emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: `${counts}\n_new drift at or above ${p.min_severity}_` } },
      { type: 'section', text: { type: 'mrkdwn', text: itemList(p) } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `job \`${p.job_id}\` · delivery \`${p.delivery_id}\`` }],
      },
    ],
  };
}
