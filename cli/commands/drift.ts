import { type Command, Option } from 'commander';
import { DriftKind, DriftPage, Severity } from '../../contract/drift.js';
import type { ApiClient, Query } from '../api-client.js';
import { exitsWith, gatewayClient, integerIn } from '../command-kit.js';
import { renderDriftTable } from '../drift-table.js';
import { printJson, printLine } from '../output.js';

interface DriftOptions {
  job?: string;
  kind?: DriftKind;
  severity?: Severity;
  type?: string;
  limit: number;
  all?: boolean;
  json?: boolean;
}

/** The first page, or with --all every page merged into one. */
async function fetchDrift(client: ApiClient, query: Query, all: boolean): Promise<DriftPage> {
  let page = await client.getJson('/api/v1/drift', DriftPage, query);
  const items = [...page.items];
  while (all && page.next_cursor) {
    page = await client.getJson('/api/v1/drift', DriftPage, { ...query, cursor: page.next_cursor });
    items.push(...page.items);
  }
  return { ...page, items, next_cursor: all ? null : page.next_cursor };
}

function summaryLine(page: DriftPage): string {
  const s = page.summary;
  return `${page.job_id}: ${s.in_sync} in sync, ${s.changed} changed, ${s.missing} missing, ${s.unmanaged} unmanaged`;
}

export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('drift items of a job (default: the newest analysed job); exit 1 when there is drift, 0 when none')
    .option('--job <id>', 'the job whose analysis to show')
    .addOption(new Option('--kind <kind>', 'only this kind of drift').choices(DriftKind.options))
    .addOption(new Option('--severity <level>', 'only this severity').choices(Severity.options))
    .option('--type <terraform-type>', 'only this Terraform type, e.g. aws_instance')
    .option('--limit <n>', 'items per page', integerIn(1, 1000), 100)
    .option('--all', 'follow the pages to the end')
    .option('--json', 'print the items as JSON')
    .action(
      exitsWith(async (opts: DriftOptions, command: Command) => {
        const query = {
          job_id: opts.job,
          kind: opts.kind,
          severity: opts.severity,
          type: opts.type,
          limit: opts.limit,
        };
        const page = await fetchDrift(gatewayClient(command), query, opts.all ?? false);
        if (opts.json) {
          printJson(page);
        } else {
          printLine(summaryLine(page));
          printLine(page.items.length === 0 ? 'no drift' : renderDriftTable(page.items));
          if (page.next_cursor) process.stderr.write('more items: pass --all to see every page\n');
        }
        return page.items.length > 0 ? 1 : 0;
      }),
    );
}
