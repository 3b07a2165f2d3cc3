import { type Command, Option } from 'commander';
import { Severity } from '../../contract/drift.js';
import { NotificationCreated, NotificationList, NotificationType } from '../../contract/notifications.js';
import { exitsWith, gatewayClient } from '../command-kit.js';
import { printJson, printLine, renderTable } from '../output.js';

interface AddOptions {
  type: NotificationType;
  targetUrl: string;
  minSeverity: Severity;
  secret?: string;
  json?: boolean;
}

const PATH = '/api/v1/notifications';

function registerAdd(notifications: Command): void {
  notifications
    .command('add')
    .description('tell a target of new drift at or above a severity; prints its id')
    .addOption(
      new Option('--type <type>', 'how the target is told').choices(NotificationType.options).default('webhook'),
    )
    .requiredOption(
      '--target-url <url>',
      'where deliveries go: https, or plain http to this machine only (--url names the gateway)',
    )
    .addOption(
      new Option('--min-severity <severity>', 'the least severe new drift the target hears of')
        .choices(Severity.options)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--secret <secret>', 'HMAC key of a webhook (16-256 characters); generated when not given').env(
        'DRIFTMGR_NOTIFICATION_SECRET',
      ),
    )
    .option('--json', 'print the API answer as JSON')
    .action(
      exitsWith(async (opts: AddOptions, command: Command) => {
        const created = await gatewayClient(command).postJson(PATH, NotificationCreated, {
          type: opts.type,
          url: opts.targetUrl,
          min_severity: opts.minSeverity,
          secret: opts.secret,
        });
        if (opts.json) printJson(created);
        else printLine(created.notification_id);
        // On stderr, so `ID=$(driftmgr notifications add …)` still takes the id alone.
        if (!opts.json && created.secret)
          process.stderr.write(`signing secret (shown this once; give it to the receiver): ${created.secret}\n`);
        return 0;
      }),
    );
}

function registerList(notifications: Command): void {
  notifications
    .command('list')
    .description('every notification target, oldest first (secrets are never shown)')
    .option('--json', 'print the API answer as JSON')
    .action(
      exitsWith(async (opts: { json?: boolean }, command: Command) => {
        const list = await gatewayClient(command).getJson(PATH, NotificationList);
        if (opts.json) printJson(list);
        else if (list.notifications.length === 0) printLine('no notification targets');
        else {
          const rows = list.notifications.map((n) => [
            n.notification_id,
            n.type,
            n.min_severity,
            n.signed ? 'yes' : 'no',
            n.url,
          ]);
          printLine(renderTable(['id', 'type', 'min severity', 'signed', 'url'], rows));
        }
        return 0;
      }),
    );
}

function registerRemove(notifications: Command): void {
  notifications
    .command('remove')
    .description('delete a notification target')
    .argument('<id>', 'the target to delete')
    .action(
      exitsWith(async (id: string, _opts: object, command: Command) => {
        await gatewayClient(command).delete(`${PATH}/${encodeURIComponent(id)}`);
        printLine(`removed ${id}`);
        return 0;
      }),
    );
}

export function registerNotifications(program: Command): void {
  const notifications = program
    .command('notifications')
    .description('targets told of new drift: signed webhooks and Slack incoming webhooks');
  registerAdd(notifications);
  registerList(notifications);
  registerRemove(notifications);
}
