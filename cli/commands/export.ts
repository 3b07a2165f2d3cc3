import { type Command, Option } from 'commander';
import { GatewayError } from '../api-client.js';
import { exitsWith, gatewayClient } from '../command-kit.js';
import { CliError } from '../errors.js';
import { writeBody } from '../output.js';

const EXPORT_PATH = '/api/v1/export';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export the current discovered state (the inventory) to stdout or a file')
    .addOption(new Option('--format <format>', 'export format').choices(['json']).default('json'))
    .option('--output <file>', 'write the export here instead of stdout')
    .action(
      exitsWith(async (opts: { format: string; output?: string }, command: Command) => {
        const client = gatewayClient(command);
        const body = await client.download(EXPORT_PATH, { format: opts.format }).catch((err: unknown) => {
          // An older gateway has no export route at all; say so rather than "no route for …".
          if (err instanceof GatewayError && err.status === 404 && err.message.startsWith('no route')) {
            throw new CliError(
              `the gateway at ${client.url} does not offer exports (GET ${EXPORT_PATH} answered 404)`,
              2,
            );
          }
          throw err;
        });
        await writeBody(body, opts.output);
        if (opts.output) process.stderr.write(`wrote the export to ${opts.output}\n`);
        return 0;
      }),
    );
}
